"""The retry policy of a Celery task for a database blip (a dropped connection, a failover):
`@shared_task(..., **DB_RETRY)`. What the outside world answers (a push provider, an SMTP
relay) is handled per row by the services, not here."""

from django.conf import settings
from django.db import InterfaceError, OperationalError

DB_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": settings.TASK_RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
    "max_retries": 5,
}
