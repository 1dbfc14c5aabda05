"""Canary: a signal full of recognisable personal values goes through the whole flow with the
real signals services and the real firebase-admin (Google answered locally). None of the values
may appear in any push request or any log line."""

import json
import logging
from datetime import timedelta

import pytest
import time_machine

from accounts.actors import SYSTEM
from accounts.models import TeamRole
from backend.json_logging import JsonFormatter
from notifications.models import Notification
from notifications.tasks import notifications_send
from signals import services as signals
from tests.factories import TeamFactory, UserFactory, member_of
from tests.notifications.factories import DeviceFactory
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

RESIDENT = {
    "first_name": "Kanariewilhelmina",
    "phone": "+31 6 19283746",
    "email": "kanarie.bewoner@example.test",
}
ADDRESS = {"postcode": "3511 ab", "house_number": 3, "addition": "kanarie"}
OBSERVATION = "KANARIE-NOTITIE: voelt zich eenzaam sinds de verhuizing naar de flat."
SIGNALLER = {"full_name": "Kanarie Signaleerder", "email": "kanarie.signaleerder@example.test"}
REASON = "KANARIE-REDEN: buiten de wijk wonen haar kinderen"


def test_no_personal_value_reaches_a_push_or_a_log_line(fcm, caplog):
    team = team_with_coverage()
    coordinator = member_of(team, TeamRole.COORDINATOR)
    member = member_of(team, full_name="Kanarie Teamlid", email="kanarie.lid@example.test")
    other_team = TeamFactory()
    other_member = member_of(other_team)
    signaller = UserFactory(field_worker=True, **SIGNALLER)
    for user in (coordinator, member, other_member, signaller):
        DeviceFactory(user=user)

    caplog.set_level(logging.DEBUG)
    signal = make_signal(
        signaller=signaller,
        resident=RESIDENT,
        address=ADDRESS,
        observation=OBSERVATION,
        urgency="urgent",
    )
    assert signal.resident_first_name == RESIDENT["first_name"]  # the canary is really in it
    signals.signal_route(actor=SYSTEM, signal_id=signal.pk)
    signal.refresh_from_db()
    with time_machine.travel(signal.acknowledge_due_at + timedelta(minutes=1)):
        assert signals.signal_escalate(actor=SYSTEM, signal_id=signal.pk)
        signal.refresh_from_db()
        signals.signal_assign(
            signal_id=signal.pk,
            actor=coordinator,
            assignee_id=member.pk,
            expected_version=signal.version,
        )
        signal.refresh_from_db()
        signals.signal_transition(
            signal_id=signal.pk,
            actor=member,
            to_status="acknowledged",
            expected_version=signal.version,
            note=f"Gesproken met {RESIDENT['first_name']}.",
        )
        signal.refresh_from_db()
        signals.signal_forward(
            signal_id=signal.pk,
            actor=coordinator,
            team_id=other_team.pk,
            expected_version=signal.version,
            reason=REASON,
        )
        signals.signal_route(actor=SYSTEM, signal_id=signal.pk)
        # Sent while the canary values are still in the signal, so a payload that looked the
        # resident up would carry them; the withdrawal's own push goes after the erasure.
        before_erasure = list(Notification.objects.values_list("pk", flat=True))
        notifications_send(notification_ids=before_erasure)
        assert type(signal).objects.get(pk=signal.pk).resident_first_name == RESIDENT["first_name"]
        signals.consent_withdraw(signal_id=signal.pk, actor=signaller, reason=REASON)
        rest = Notification.objects.exclude(pk__in=before_erasure).values_list("pk", flat=True)
        notifications_send(notification_ids=list(rest))

    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == set(Notification.Kind)  # every kind of push went through this flow
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert len(fcm.sends) == Notification.objects.count()

    canaries = [
        *RESIDENT.values(),
        ADDRESS["addition"],
        "3511 ab",
        "3511AB",
        OBSERVATION,
        "KANARIE",
        "Kanarie",
        "kanarie",
        "eenzaam",
        *SIGNALLER.values(),
        member.full_name,
        member.email,
        "elderly_at_home",
        "few_contacts",
    ]
    wire = [request.raw_body.decode() + json.dumps(request.headers) for request in fcm.requests]
    formatter = JsonFormatter()
    log_lines = [formatter.format(record) for record in caplog.records]
    assert log_lines, "the flow logs; an empty capture would prove nothing"
    assert [c for c in canaries for text in wire if c in text] == []
    assert [c for c in canaries for line in log_lines if c in line] == []
