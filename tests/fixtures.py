"""Shared fixtures: API clients logged in through the real token path."""

import time
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import login_session_open


def token_client(user: User) -> APIClient:
    """A client carrying a real access token bound to a real login session, opened as after a
    verified second factor (amr pwd+otp), so roles that need one are served."""
    pair = login_session_open(user=user, amr=["pwd", "otp"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    client.token_pair = pair  # type: ignore[attr-defined]
    return client


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[[User], APIClient]:
    return token_client


@pytest.fixture
def throttle_rates(settings, monkeypatch) -> Callable[..., None]:
    """Lowers the rate of some throttle scopes for one test: `throttle_rates(login="3/min")`.
    The test settings keep every scope high so other tests never meet a throttle; the project
    throttle reads its rates per request, so the override applies at once.

    The throttle's clock stands still in the middle of a day (hence of its minute and hour), so
    a test's requests never straddle the end of a fixed window and flake."""
    from backend.throttling import ScopedThrottle

    day = 86_400
    standing = time.time() // day * day + day / 2 + 30
    monkeypatch.setattr(ScopedThrottle, "timer", staticmethod(lambda: standing))

    def set_rates(**rates: str) -> None:
        framework = settings.REST_FRAMEWORK
        settings.REST_FRAMEWORK = {
            **framework,
            "DEFAULT_THROTTLE_RATES": {**framework["DEFAULT_THROTTLE_RATES"], **rates},
        }

    return set_rates
