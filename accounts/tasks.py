"""Account tasks: e-mailing one-time codes to their holders (docs/adr/0034). Each takes ids,
reloads and calls one service; the service claims the row and skips what is sent, so running
a task twice sends once."""

from celery import shared_task

from accounts import services
from backend.task_retry import DB_RETRY


@shared_task(name="accounts.tasks.credential_code_send", **DB_RETRY)
def credential_code_send(code_id: int) -> None:
    """E-mails the one-time code of one reset to its account holder, if still unsent."""
    services.credential_code_deliver(code_id=code_id)


@shared_task(name="accounts.tasks.credential_codes_requeue", **DB_RETRY)
def credential_codes_requeue() -> int:
    """Beat: dispatches unsent codes whose task was lost, whose send failed or whose lease ran
    out."""
    return services.credential_codes_requeue()
