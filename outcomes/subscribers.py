"""What outcomes does when the signals app tells it something, and what it answers when signals
asks (docs/adr/0020, 0037): a signal's personal data erased (withdrawal, erasure, retention)
erases its measurements' answers in the same transaction; the queue shows an open follow-up
measurement as a deadline."""

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.expressions import BaseExpression

from outcomes import services
from outcomes.models import Measurement, Phase
from signals import hooks, providers
from signals.deadlines import MEASUREMENT_FOLLOW_UP
from signals.models import Signal, SignalEvent


def on_signal_event_appended(sender: type, event: SignalEvent, **kwargs: Any) -> None:
    if event.type == SignalEvent.Type.PERSONAL_DATA_ERASED:
        services.measurements_erase(signal_id=event.signal_id)


def queue_deadlines(queryset: QuerySet[Signal]) -> dict[str, BaseExpression]:
    """The baseline's follow-up due date, while no follow-up is recorded."""
    # One baseline per signal (a unique constraint): no ordering, so the queue's plan reads
    # the row by that constraint's index and sorts nothing (docs/adr/0029).
    due = (
        Measurement.objects.filter(
            signal=OuterRef("pk"),
            phase=Phase.BASELINE,
            follow_up_due_at__isnull=False,
            erased_at__isnull=True,
        )
        .exclude(signal__measurements__phase=Phase.FOLLOW_UP)
        .order_by()
    )
    return {MEASUREMENT_FOLLOW_UP: Subquery(due.values("follow_up_due_at")[:1])}


def subscribe() -> None:
    hooks.connect(on_signal_event_appended, uid="outcomes.on_signal_event_appended")
    providers.queue_deadlines.provide(queue_deadlines)
