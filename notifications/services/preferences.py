"""A person's own notification settings: quiet hours and the daily digest."""

from datetime import time

from django.db import transaction

from accounts.models import User
from backend.errors import DomainError
from notifications.models import NotificationPreference
from notifications.quiet_hours import is_known_timezone


def notification_preference_set(
    *,
    user: User,
    quiet_hours_start: time,
    quiet_hours_end: time,
    timezone: str,
    daily_digest: bool,
) -> NotificationPreference:
    """Sets the user's quiet hours (equal start and end: none) and whether the daily digest
    comes. Pushes recorded later follow them; pending ones keep their moment.

    Side effects: the user's NotificationPreference created or updated."""
    if not is_known_timezone(timezone):
        raise DomainError("unknown_timezone")
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.update_or_create(
            user=user,
            defaults={
                "quiet_hours_start": quiet_hours_start.replace(second=0, microsecond=0),
                "quiet_hours_end": quiet_hours_end.replace(second=0, microsecond=0),
                "timezone": timezone,
                "daily_digest": daily_digest,
            },
        )
    return preference
