"""Signal events are append-only in the database, as the access log is: no UPDATE, no DELETE,
and a signal with history cannot be deleted. Erasure and retention still work."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from accounts.actors import SYSTEM
from signals import services
from signals.models import Signal, SignalEvent
from tests.signals.factories import make_signal

pytestmark = pytest.mark.django_db


def refused(operation) -> str:
    with pytest.raises(DatabaseError) as info, transaction.atomic():
        operation()
    return str(info.value)


def raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def test_events_cannot_be_updated_or_deleted_through_the_orm_or_sql():
    event = make_signal().events.get()
    assert "append-only" in refused(
        lambda: SignalEvent.objects.filter(pk=event.pk).update(type="routed")
    )
    event.to_status = "closed"
    assert "append-only" in refused(lambda: event.save())
    assert "UPDATE refused" in refused(lambda: raw("UPDATE signals_signalevent SET data = '{}'"))
    assert "DELETE refused" in refused(lambda: raw("DELETE FROM signals_signalevent"))
    assert SignalEvent.objects.get(pk=event.pk).to_status == "received"


def test_a_signal_with_history_cannot_be_deleted():
    signal = make_signal()
    with pytest.raises(ProtectedError), transaction.atomic():
        signal.delete()
    assert Signal.objects.filter(pk=signal.pk).exists()


def test_erasure_leaves_the_events_and_appends_its_own():
    signal = make_signal(observation="Woont alleen.")
    before = list(signal.events.values_list("pk", "type", "data"))
    services.signal_personal_data_erase(signal_id=signal.pk, actor=SYSTEM, reason="retention")
    after = list(signal.events.values_list("pk", "type", "data"))
    assert after[: len(before)] == before
    assert after[-1][1:] == ("personal_data_erased", {"reason": "retention"})


def test_an_event_without_an_actor_is_refused_and_the_system_is_recorded_as_no_person():
    """Issue 19 item 2 (ADR 39): a forgotten actor is refused, not recorded as the system."""
    from backend.errors import DomainError
    from signals.write_path import append_event

    signal = make_signal()
    before = list(signal.events.values_list("pk", flat=True))
    with pytest.raises(DomainError) as missing, transaction.atomic():
        append_event(signal, SignalEvent.Type.NOTE_ADDED, actor=None)
    assert missing.value.code == "permission_denied"
    assert list(signal.events.values_list("pk", flat=True)) == before
    with transaction.atomic():
        recorded = append_event(signal, SignalEvent.Type.NOTE_ADDED, actor=SYSTEM)
    assert recorded.actor is None
