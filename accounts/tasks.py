"""Account tasks: e-mailing one-time codes to their holders (docs/adr/0034). Each takes ids,
reloads and calls one service; the service claims the row and skips what is sent, so running
a task twice sends once."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from accounts import services

_DB_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": settings.TASK_RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="accounts.tasks.credential_code_send", **_DB_RETRY)
def credential_code_send(code_id: int) -> None:
    """E-mails the one-time code of one reset to its account holder, if still unsent."""
    services.credential_code_deliver(code_id=code_id)


@shared_task(name="accounts.tasks.credential_codes_requeue", **_DB_RETRY)
def credential_codes_requeue() -> int:
    """Beat: dispatches unsent codes whose task was lost, whose send failed or whose lease ran
    out."""
    return services.credential_codes_requeue()
