"""Retention per end status, enforced by the beat task with a moved clock: personal fields and
note bodies go, the pseudonymous facts for figures stay, each erasure is access-logged as a
system action, and nothing open or restricted is touched."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from audit.models import AccessLog, Action, Purpose
from backend.celery import app
from privacy.models import RetentionPolicy
from privacy.tasks import enforce_retention
from signals import services
from signals.models import SignalEvent, SignalNote, Status
from signals.personal_data import PERSONAL_FIELDS
from tests.factories import UserFactory
from tests.privacy.rights import NOTE, case, open_request

pytestmark = pytest.mark.django_db
ERASED = SignalEvent.Type.PERSONAL_DATA_ERASED


def test_seeded_policy():
    assert dict(RetentionPolicy.objects.values_list("status", "erase_after_days")) == {
        "closed": 365,
        "declined": 90,
        "withdrawn": 0,
    }


def test_beat_runs_the_registered_task():
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == enforce_retention.name
    )
    assert entry["schedule"] <= 86400
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert entry["task"] in app.tasks


def test_closed_signal_is_erased_a_year_after_closing_and_keeps_its_figures():
    c = case(state=Status.CLOSED)
    signal = c.signal
    closed_at = signal.closed_at
    with time_machine.travel(closed_at + timedelta(days=364), tick=False):
        assert enforce_retention() == 0
    signal.refresh_from_db()
    assert signal.resident_first_name == "Wilhelmina" and signal.personal_data_erased_at is None

    with time_machine.travel(closed_at + timedelta(days=365, minutes=1), tick=False):
        assert enforce_retention() == 1
        moment = timezone.now()
    signal.refresh_from_db()
    assert all(getattr(signal, name) in ("", None) for name in PERSONAL_FIELDS)
    assert signal.personal_data_erased_at == moment
    assert SignalNote.objects.get(signal=signal).body == ""
    # The pseudonymous facts stay for anonymous figures.
    assert signal.status == Status.CLOSED and signal.outcome == "connected_to_informal_network"
    assert signal.target_group == "elderly_at_home" and signal.closed_at == closed_at
    assert signal.neighbourhood_id is not None and signal.team_id == c.team.pk
    assert list(signal.reasons.values_list("code", flat=True)) == ["few_contacts"]
    event = signal.events.get(type=ERASED)
    assert event.actor is None and event.data == {"reason": "retention"}

    row = AccessLog.objects.get(action=Action.DELETE)
    assert row.actor_id is None and row.actor_roles == ["retention"]
    assert row.purpose == Purpose.RETENTION
    assert row.subject_id == signal.subject_id and row.object_id == str(signal.pk)
    assert row.authorisation_rule == "retention_policy:closed:365d"
    assert row.consent_id == str(signal.consent.pk)
    assert {"observation", "notes.body"} <= set(row.fields_touched)
    assert row.occurred_at == moment

    # Idempotent: a later run finds nothing and writes nothing.
    with time_machine.travel(closed_at + timedelta(days=400), tick=False):
        assert enforce_retention() == 0
    assert signal.events.filter(type=ERASED).count() == 1
    assert AccessLog.objects.filter(action=Action.DELETE).count() == 1


def test_declined_signal_after_ninety_days():
    c = case(state=Status.DECLINED)
    with time_machine.travel(c.signal.closed_at + timedelta(days=89), tick=False):
        assert enforce_retention() == 0
    with time_machine.travel(c.signal.closed_at + timedelta(days=90, seconds=1), tick=False):
        assert enforce_retention() == 1
    c.signal.refresh_from_db()
    assert c.signal.observation == "" and c.signal.status == Status.DECLINED


@pytest.mark.parametrize("state", [Status.ROUTED, Status.ACKNOWLEDGED, Status.CONTACTED])
def test_open_signals_are_kept_however_long(state):
    c = case(state=state, note=False, team_read=False)
    with time_machine.travel(timezone.now() + timedelta(days=5 * 365), tick=False):
        assert enforce_retention() == 0
    c.signal.refresh_from_db()
    assert c.signal.resident_first_name == "Wilhelmina"


def test_withdrawn_signal_was_erased_at_once_and_is_left_alone():
    c = case(note=False, team_read=False)
    services.consent_withdraw(signal_id=c.signal.pk, actor=c.signaller)
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        assert enforce_retention() == 0
    assert c.signal.events.filter(type=ERASED).count() == 1
    assert not AccessLog.objects.filter(action=Action.DELETE).exists()


def test_restriction_suspends_erasure_until_lifted():
    c = case(state=Status.CLOSED, team_read=False)
    officer = UserFactory(privacy_officer=True)
    services.signal_restrict(signal_id=c.signal.pk, actor=officer)
    later = c.signal.closed_at + timedelta(days=500)
    with time_machine.travel(later, tick=False):
        assert enforce_retention() == 0
    c.signal.refresh_from_db()
    assert c.signal.resident_first_name == "Wilhelmina"
    services.signal_restriction_lift(signal_id=c.signal.pk, actor=officer)
    with time_machine.travel(later, tick=False):
        assert enforce_retention() == 1


def test_a_signal_restricted_after_it_was_listed_is_not_erased():
    """The batch is listed first and erased one by one: a restriction that lands in between
    must still stop the erasure (the check under the row lock, not only the listing)."""
    from privacy.retention import retention_due_signal_ids, signal_retention_enforce

    c = case(state=Status.CLOSED, team_read=False)
    later = c.signal.closed_at + timedelta(days=500)
    with time_machine.travel(later, tick=False):
        assert retention_due_signal_ids() == [c.signal.pk]
        services.signal_restrict(signal_id=c.signal.pk, actor=UserFactory(privacy_officer=True))
        assert signal_retention_enforce(signal_id=c.signal.pk) is False
    c.signal.refresh_from_db()
    assert (c.signal.resident_first_name, c.signal.personal_data_erased_at) == ("Wilhelmina", None)
    assert not AccessLog.objects.filter(purpose=Purpose.RETENTION).exists()


def test_the_policy_is_configurable():
    c = case(state=Status.CLOSED, team_read=False)
    d = case(state=Status.DECLINED, team_read=False)
    RetentionPolicy.objects.filter(status="closed").update(erase_after_days=30)
    RetentionPolicy.objects.filter(status="declined").delete()  # no policy: kept
    with time_machine.travel(c.signal.closed_at + timedelta(days=31), tick=False):
        assert enforce_retention() == 1
    with time_machine.travel(d.signal.closed_at + timedelta(days=1000), tick=False):
        assert enforce_retention() == 0
    c.signal.refresh_from_db()
    d.signal.refresh_from_db()
    assert c.signal.personal_data_erased_at is not None
    assert d.signal.personal_data_erased_at is None
    assert AccessLog.objects.get(action=Action.DELETE).authorisation_rule == (
        "retention_policy:closed:30d"
    )


def test_batch_size_limits_one_run(settings):
    settings.RETENTION_BATCH_SIZE = 1
    signals = [case(state=Status.CLOSED, note=False, team_read=False).signal for _ in range(2)]
    later = max(s.closed_at for s in signals) + timedelta(days=366)
    with time_machine.travel(later, tick=False):
        assert enforce_retention() == 1
        assert enforce_retention() == 1
        assert enforce_retention() == 0


def test_export_tells_when_the_data_will_be_erased(client_for):
    c = case(state=Status.CLOSED, team_read=False)
    body = client_for(c.officer).get(
        f"/api/v1/privacy/subjects/{c.signal.subject_id}/export",
        {"request": open_request(c.officer, c.signal.subject_id)},
    )
    retention = body.json()["signals"][0]["retention"]
    assert retention["rule"] == "after_end" and retention["erase_after_days"] == 365
    erase_at = timezone.datetime.fromisoformat(retention["erase_at"])
    assert erase_at == c.signal.closed_at + timedelta(days=365)
    assert NOTE in body.content.decode()
