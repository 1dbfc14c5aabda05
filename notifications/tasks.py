"""Notification tasks. They run on their own queue ("notifications", see CELERY_TASK_ROUTES) so
a slow push provider never delays routing. Each takes ids, reloads and calls one service; the
services lock rows and skip what is done, so running a task twice is harmless."""

from celery import Task, shared_task

from backend.task_retry import DB_RETRY
from notifications import services


@shared_task(bind=True, name="notifications.tasks.notifications_send", **DB_RETRY)
def notifications_send(self: Task, notification_ids: list[int]) -> None:
    """Pushes the given notifications that are still pending and due. The task id names the
    claim: the same task handed out again (its worker died mid-push) takes its claims back."""
    services.notifications_deliver(notification_ids=notification_ids, claim_token=self.request.id)


@shared_task(name="notifications.tasks.notifications_requeue", **DB_RETRY)
def notifications_requeue() -> int:
    """Beat, every minute: dispatches pending notifications that are due and have no task on
    its way (quiet hours ended, retry back-off passed, task lost while the broker was down)."""
    return services.notifications_requeue()


@shared_task(name="notifications.tasks.devices_prune", **DB_RETRY)
def devices_prune() -> int:
    """Beat, daily: deletes devices unseen for DEVICE_PRUNE_DAYS."""
    return services.devices_prune()


@shared_task(bind=True, name="notifications.tasks.email_notices_send", **DB_RETRY)
def email_notices_send(self: Task, notice_ids: list[int]) -> None:
    """Sends the given e-mail notices that are still pending. The task id names the claim: the
    same task handed out again (its worker died mid-send) takes its claim back."""
    services.email_notices_deliver(notice_ids=notice_ids, claim_token=self.request.id)


@shared_task(name="notifications.tasks.email_notices_requeue", **DB_RETRY)
def email_notices_requeue() -> int:
    """Beat: dispatches pending e-mail notices whose task was lost or whose send failed, and
    hands out again claims whose task was lost (older than the lease)."""
    return services.email_notices_requeue()


@shared_task(name="notifications.tasks.team_digests_send", **DB_RETRY)
def team_digests_send() -> int:
    """Beat, daily: the team digests (once per person, team and day however often it runs)."""
    return services.team_digests_send()
