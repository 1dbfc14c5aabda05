"""Celery tasks: take ids, reload, call one service. Idempotent; retries live in the decorator."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from accounts.actors import SystemActor
from backend.enqueue import enqueue
from signals import selectors, services, workflow
from signals.models import Signal

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError)
ROUTING = SystemActor("routing")
ESCALATION = SystemActor("escalation")


@shared_task(
    name="signals.route_signal",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=8,
)
def route_signal(signal_id: str) -> None:
    """Routes one signal; a signal that is already routed is left alone."""
    services.signal_route(signal_id=signal_id, actor=ROUTING)


@shared_task(name="signals.sweep_unrouted_signals")
def sweep_unrouted_signals() -> int:
    """The outbox sweeper: re-enqueues signals still waiting for routing after the grace period
    (for instance because the broker was down when they were accepted)."""
    cutoff = timezone.now() - timedelta(seconds=settings.ROUTING_GRACE_SECONDS)
    ids = list(
        Signal.objects.filter(
            status__in=workflow.ROUTABLE, updated_at__lt=cutoff, restricted_at__isnull=True
        )
        .order_by("updated_at")
        .values_list("pk", flat=True)[:500]
    )
    for signal_id in ids:
        enqueue(route_signal, str(signal_id))
    if ids:
        logger.info("re-enqueued unrouted signals", extra={"count": len(ids)})
    return len(ids)


@shared_task(
    name="signals.escalate_overdue_signals",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX_SECONDS,
    max_retries=3,
)
def escalate_overdue_signals() -> int:
    """Escalates routed signals past their acknowledgement deadline, once each: the selector
    leaves escalated ones out (so they cannot fill the batch), the service checks again."""
    ids = selectors.escalation_due_signal_ids(limit=1000)
    return sum(services.signal_escalate(signal_id=signal_id, actor=ESCALATION) for signal_id in ids)


@shared_task(name="signals.expire_break_glass_grants")
def expire_break_glass_grants() -> int:
    """Housekeeping: removes expired break-glass grants (visibility already ignores them)."""
    return services.break_glass_grants_expire()
