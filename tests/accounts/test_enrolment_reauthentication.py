"""Issue 8 item 6: enrolling or replacing a second factor with an access token needs the password
again (and the current factor where one exists); the first-login enrolment token, which comes
straight from a password login, needs neither."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AccessLog, Action
from tests.accounts.helpers import code_for
from tests.factories import PASSWORD, UserFactory
from tests.fixtures import token_client

pytestmark = pytest.mark.django_db

BEGIN = reverse("auth-mfa-totp")
CONFIRM = reverse("auth-mfa-totp-confirm")


def test_a_stolen_field_worker_access_token_alone_cannot_enrol_an_authenticator():
    worker = UserFactory(field_worker=True)  # no second factor: exempt field worker
    stolen = token_client(worker)
    for body in ({}, {"password": "guessed-wrong-password"}):
        response = stolen.post(BEGIN, body, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "password_reverification_failed"
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert AccessAttempt.objects.get().failures_since_start == 1  # a guess counts, no password not
    refused = stolen.post(CONFIRM, {"code": "123456"}, format="json")
    assert refused.json()["code"] == "password_reverification_failed"


def test_the_owner_with_the_password_can_enrol_from_a_logged_in_app():
    worker = UserFactory(field_worker=True)
    client = token_client(worker)
    begun = client.post(BEGIN, {"password": PASSWORD}, format="json")
    assert begun.status_code == 200
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    confirmed = client.post(
        CONFIRM, {"code": code_for(device), "password": PASSWORD}, format="json"
    )
    assert confirmed.status_code == 200
    assert len(confirmed.json()["recovery_codes"]) == 10
    row = AccessLog.objects.get(action=Action.MFA_ENROL)
    assert (row.object_type, row.object_id) == ("accounts.user", str(worker.pk))
    assert row.details["replaced"] is False


def test_wrong_passwords_at_enrolment_count_towards_the_lockout(settings):
    worker = UserFactory(field_worker=True)
    stolen = token_client(worker)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        stolen.post(BEGIN, {"password": "guessed-wrong-password"}, format="json")
    assert AccessAttempt.objects.filter(username=worker.email).exists()
    locked = stolen.post(BEGIN, {"password": PASSWORD}, format="json")
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    failures = AccessLog.objects.filter(action=Action.LOGIN_FAILED, actor_id=worker.pk)
    assert failures.count() == settings.AXES_FAILURE_LIMIT + 1
    assert worker.email not in str(list(failures.values_list("details", flat=True)))
