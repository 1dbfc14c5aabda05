"""Periodic work of the audit app."""

from celery import shared_task
from django.conf import settings

from audit.sealing import access_log_seal


@shared_task(name="audit.seal_access_log", ignore_result=True)
def seal_access_log() -> int:
    """Seals committed access-log rows (docs/adr/0025). Skips at once when the chain lock is
    held (another sealer runs, or a stray holder): the next run catches up. Idempotent.

    Side effects: as audit.sealing.access_log_seal; at most ACCESS_LOG_SEAL_MAX_ROWS_PER_RUN."""
    return access_log_seal(wait=False, max_rows=settings.ACCESS_LOG_SEAL_MAX_ROWS_PER_RUN).sealed
