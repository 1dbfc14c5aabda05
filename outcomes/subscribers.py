"""What outcomes does when the signals app tells it something (docs/adr/0020): a signal's
personal data erased (withdrawal, erasure, retention) erases its measurements' answers in the
same transaction; the queue shows an open follow-up measurement as a deadline."""

from django.db.models import OuterRef, Subquery

from outcomes import services
from outcomes.models import Measurement, Phase
from signals import hooks
from signals.models import SignalEvent

FOLLOW_UP_DEADLINE = "outcome_follow_up"


def on_signal_event_appended(event: SignalEvent) -> None:
    if event.type == SignalEvent.Type.PERSONAL_DATA_ERASED:
        services.measurements_erase(signal_id=event.signal_id)


def on_queue_deadlines(deadlines: hooks.QueueDeadlines) -> None:
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
    deadlines.add(FOLLOW_UP_DEADLINE, Subquery(due.values("follow_up_due_at")[:1]))


def subscribe() -> None:
    hooks.event_appended.subscribe(on_signal_event_appended)
    hooks.queue_deadlines.subscribe(on_queue_deadlines)
