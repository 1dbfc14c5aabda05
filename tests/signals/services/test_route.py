"""Routing and escalation as the system: once each, with a new version every time they save."""

from datetime import timedelta

import pytest
import time_machine

from accounts.actors import SYSTEM
from accounts.models import Team
from signals import selectors, services
from signals.models import SignalEvent, Status
from tests.factories import member_of
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

ESCALATED = SignalEvent.Type.ESCALATED


@pytest.fixture
def routed():
    member_of(team_with_coverage())
    return make_signal(state=Status.ROUTED)


def test_escalating_twice_appends_one_event_and_bumps_the_version_once(routed):
    with time_machine.travel(routed.acknowledge_due_at + timedelta(minutes=1)):
        assert services.signal_escalate(signal_id=routed.pk, actor=SYSTEM) is True
        assert services.signal_escalate(signal_id=routed.pk, actor=SYSTEM) is False
    escalated = type(routed).objects.get(pk=routed.pk)
    assert escalated.events.filter(type=ESCALATED).count() == 1
    assert escalated.version == routed.version + 1  # a client holding the old copy must reload


def test_the_escalation_task_leaves_escalated_signals_out_of_its_batch(routed):
    """Else escalated signals would fill the batch and starve new ones."""
    later = routed.acknowledge_due_at + timedelta(minutes=1)
    with time_machine.travel(later):
        assert selectors.escalation_due_signal_ids(limit=10) == [routed.pk]
        services.signal_escalate(signal_id=routed.pk, actor=SYSTEM)
        assert selectors.escalation_due_signal_ids(limit=10) == []


def test_a_failed_routing_bumps_the_version_and_appends_one_event():
    Team.objects.filter(is_central=True).delete()
    signal = make_signal(address={"postcode": "9999ZZ", "house_number": 1})
    services.signal_route(signal_id=signal.pk, actor=SYSTEM)
    services.signal_route(signal_id=signal.pk, actor=SYSTEM)
    failed = type(signal).objects.get(pk=signal.pk)
    assert failed.status == Status.RECEIVED
    assert failed.version == signal.version + 2
    assert failed.events.filter(type=SignalEvent.Type.ROUTING_FAILED).count() == 1
