"""GET/PUT /api/v1/me/notification-preferences: one's own quiet hours and daily digest."""

import pytest

from notifications.models import NotificationPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/notification-preferences"


def test_the_defaults_until_set_then_what_was_set(client_for):
    user = UserFactory(field_worker=True)
    client = client_for(user)
    assert client.get(URL).json() == {
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
        "timezone": "Europe/Amsterdam",
        "daily_digest": True,
    }
    body = {
        "quiet_hours_start": "20:30",
        "quiet_hours_end": "08:00",
        "timezone": "Europe/London",
        "daily_digest": False,
    }
    assert client.put(URL, body, format="json").json() == body
    stored = NotificationPreference.objects.get(user=user)
    assert (stored.timezone, stored.daily_digest) == ("Europe/London", False)


def test_an_unknown_time_zone_is_refused(client_for):
    client = client_for(UserFactory(field_worker=True))
    body = {
        "quiet_hours_start": "20:30",
        "quiet_hours_end": "08:00",
        "timezone": "Mars/Olympus",
        "daily_digest": True,
    }
    response = client.put(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_timezone"
    assert not NotificationPreference.objects.exists()
