import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="notifications.tasks.signal_event_fan_out")
def signal_event_fan_out(event_id: int) -> None:
    """Placeholder until delivery lands: records that the event reached the notifications
    queue."""
    logger.info("notification event received", extra={"event_id": event_id})
