"""Issue 18 part 7: a locked-out login in the browser gets a page in words (Dutch or English),
not the API's JSON; the API keeps its JSON error."""

import pytest
from rest_framework.test import APIClient

from audit.models import AccessLog, Action
from tests.factories import UserFactory
from tests.workspace.helpers import LOGIN

pytestmark = pytest.mark.django_db


def lock_out(client, email: str, limit: int, language: str):
    for _ in range(limit):
        client.post(LOGIN, {"email": email, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE=language)
    return client.post(LOGIN, {"email": email, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Te veel pogingen", "Te veel mislukte inlogpogingen", "Terug naar inloggen"]),
        ("en", ["Too many attempts", "Too many failed login attempts", "Back to log in"]),
    ],
)
def test_a_locked_out_workspace_login_gets_a_page(client, settings, language, words):
    user = UserFactory()
    response = lock_out(client, user.email, settings.AXES_FAILURE_LIMIT, language)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f'lang="{language}"' in page and "login_locked" not in page
    for text in words:
        assert text in page, text
    reasons = AccessLog.objects.filter(action=Action.LOGIN_FAILED).values_list(
        "details__reason", flat=True
    )
    assert list(reasons).count("login_locked") >= 1


def test_the_api_keeps_its_json_lockout(settings):
    user = UserFactory()
    api = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = api.post(
            "/api/v1/auth/login", {"email": user.email, "password": "x"}, format="json"
        )
    assert (response.status_code, response.json()["code"]) == (429, "login_locked")
