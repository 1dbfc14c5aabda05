"""Logins and failed logins are in the access log, without the attempted email address."""

import pytest
from django.urls import reverse

from accounts.account_log import credential_hash
from accounts.models import LoginSession
from audit.models import AccessLog, AccessOutcome, Action, Purpose
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("auth-login")


def test_a_login_is_logged_with_its_session(api_client):
    user = UserFactory(field_worker=True)
    response = api_client.post(
        LOGIN,
        {"email": user.email, "password": PASSWORD},
        format="json",
        HTTP_USER_AGENT="Buurtsignaal/2.0",
        HTTP_X_REQUEST_ID="login-request-0001",
    )
    assert response.status_code == 200
    row = AccessLog.objects.get()
    session = LoginSession.objects.get(user=user)
    assert (row.action, row.outcome, row.purpose) == (
        Action.LOGIN,
        AccessOutcome.SUCCESS,
        Purpose.AUTHENTICATION,
    )
    assert row.actor_id == user.pk
    assert row.actor_roles == ["field_worker"]
    assert row.actor_organisation_id == user.organisation_id
    assert (row.object_type, row.object_id) == ("accounts.loginsession", str(session.pk))
    assert row.user_agent == "Buurtsignaal/2.0"
    assert row.request_id == "login-request-0001"
    assert row.details == {"method": "password"}


def test_a_failed_login_is_logged_without_the_email(api_client):
    user = UserFactory()
    response = api_client.post(
        LOGIN, {"email": user.email, "password": "wrong-password"}, format="json"
    )
    assert response.status_code == 401
    row = AccessLog.objects.get()
    assert (row.action, row.outcome) == (Action.LOGIN_FAILED, AccessOutcome.FAILED)
    assert row.actor_id is None
    assert row.details == {
        "reason": "invalid_credentials",
        "credential_hash": credential_hash(user.email),
    }
    flat = str(AccessLog.objects.values().get())
    assert user.email not in flat and user.email.split("@")[0] not in flat


def test_a_locked_out_login_is_logged_as_such(api_client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(LOGIN, {"email": user.email, "password": "wrong"}, format="json")
    api_client.post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")
    reasons = list(
        AccessLog.objects.order_by("occurred_at").values_list("details__reason", flat=True)
    )
    assert reasons[-1] == "login_locked"
    assert len(reasons) == settings.AXES_FAILURE_LIMIT + 1
