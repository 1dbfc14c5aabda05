"""Celery tasks of the privacy app: take ids (or nothing), call one service, idempotent."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from privacy import retention


@shared_task(
    name="privacy.tasks.enforce_retention",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
)
def enforce_retention() -> int:
    """Beat task: erases the personal data of signals past their retention (a batch of at most
    RETENTION_BATCH_SIZE per run; the next run continues). Returns how many it erased.

    Side effects: see privacy.retention.signal_retention_enforce."""
    return retention.retention_enforce(limit=settings.RETENTION_BATCH_SIZE)
