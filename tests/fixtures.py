"""Shared fixtures: API clients logged in through the real token path."""

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
