"""Issue 8 item 2 (credentials): an admin resets a user's credentials only by invalidating them
and issuing a one-time code; the user chooses the new password with it
(`POST /api/v1/auth/credentials/set`) and enrols a second factor at the next login. A new
account starts the same way. Issue 18 item 5: the code goes by e-mail to the account holder,
never to the admin (docs/adr/0034)."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import CredentialCode, LoginSession, User
from accounts.services import credentials_reset
from audit.models import AccessLog, AccessOutcome, Action
from backend.errors import DomainError
from tests.accounts.helpers import CODE_PATTERN, SYSTEM, admin_login, mailed_code
from tests.factories import PASSWORD, UserFactory
from tests.fixtures import token_client

pytestmark = pytest.mark.django_db

SET = reverse("auth-credentials-set")
LOGIN = reverse("auth-login")
NEW_PASSWORD = "zelf-gekozen-wachtwoord-31"


def set_password(email: str, code: str, password: str = NEW_PASSWORD):
    body = {"email": email, "code": code, "password": password}
    return APIClient().post(SET, body, format="json")


def reset_in_admin(admin_client, *users):
    url = reverse("admin:accounts_user_changelist")
    selected = {"action": "reset_credentials", "_selected_action": [u.pk for u in users]}
    confirm = admin_client.post(url, selected)
    assert confirm.status_code == 200
    assert b"Ja, inloggegevens resetten" in confirm.content
    assert not CredentialCode.objects.exists()  # nothing happens before the confirmation
    return admin_client.post(url, {**selected, "confirm": "yes"})


def test_reset_invalidates_password_second_factor_and_sessions_and_mails_the_code_to_the_holder(
    admin_client, member
):
    app = token_client(member)
    response = reset_in_admin(admin_client, member)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert not CODE_PATTERN.search(page)  # the admin never sees a code
    masked = f"{member.email[0]}***@"
    assert masked in page and member.email not in page  # only where it went, masked
    code = mailed_code(member)
    assert code not in page

    member.refresh_from_db()
    assert not member.has_usable_password()
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not StaticDevice.objects.filter(user=member).exists()
    assert not LoginSession.objects.filter(user=member, revoked_at__isnull=True).exists()
    assert app.get(reverse("me")).status_code == 401
    stored = CredentialCode.objects.get(user=member)
    assert code not in stored.code_hash and code.replace("-", "") not in stored.code_hash
    rows = AccessLog.objects.filter(object_type="accounts.user", object_id=str(member.pk))
    by_action = {row.action: row for row in rows}
    assert by_action[Action.CREDENTIAL_CHANGE].actor_id == admin_client.user.pk
    assert by_action[Action.CREDENTIAL_CHANGE].details["change"] == "reset"
    assert by_action[Action.MFA_CHANGE].details == {"change": "reset", "devices_removed": 2}
    assert code not in str([row.details for row in rows])


def test_the_code_sets_a_password_once_and_the_user_then_enrols(admin_client, member):
    reset_in_admin(admin_client, member)
    code = mailed_code(member)
    assert set_password(member.email.upper(), code.lower()).status_code == 204
    again = set_password(member.email, code)
    assert again.status_code == 400
    assert again.json()["code"] == "credential_code_invalid"

    assert (
        APIClient()
        .post(LOGIN, {"email": member.email, "password": PASSWORD}, format="json")
        .status_code
        == 401
    )
    login = (
        APIClient()
        .post(LOGIN, {"email": member.email, "password": NEW_PASSWORD}, format="json")
        .json()
    )
    assert login["enrolment_required"] is True  # the first-login enrolment flow follows
    row = AccessLog.objects.get(
        action=Action.CREDENTIAL_CHANGE,
        outcome=AccessOutcome.SUCCESS,
        details__change="password_set",
    )
    assert (row.actor_id, row.object_id) == (member.pk, str(member.pk))


def test_a_wrong_code_and_an_unknown_address_get_the_same_refusal(member):
    credentials_reset(user=member, **SYSTEM)
    code = mailed_code(member)
    wrong = set_password(member.email, "AAAAA-AAAAA-AAAAA-AAAAA")
    unknown = set_password("niemand@example.test", code)
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "credential_code_invalid"
    member.refresh_from_db()
    assert not member.has_usable_password()
    failed = AccessLog.objects.filter(action=Action.CREDENTIAL_CHANGE, outcome=AccessOutcome.FAILED)
    assert failed.count() == 2
    assert member.email not in str(list(failed.values_list("details", flat=True)))


def test_an_expired_code_is_refused(member):
    credentials_reset(user=member, **SYSTEM)
    code = mailed_code(member)
    CredentialCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = set_password(member.email, code)
    assert response.status_code == 400
    assert response.json()["code"] == "credential_code_expired"


def test_the_code_expires_after_credential_reset_hours(member, settings):
    settings.CREDENTIAL_RESET_HOURS = 5
    before = timezone.now()
    issued = credentials_reset(user=member, **SYSTEM)
    assert timedelta(hours=5) <= issued.expires_at - before < timedelta(hours=5, seconds=30)


def test_a_weak_password_is_refused_with_the_reasons_and_keeps_the_code(member):
    credentials_reset(user=member, **SYSTEM)
    code = mailed_code(member)
    weak = set_password(member.email, code, password="12345678")
    assert weak.status_code == 400
    body = weak.json()
    assert body["code"] == "password_invalid"
    codes = {reason["code"] for reason in body["details"]["reasons"]}
    assert {"password_too_short", "password_entirely_numeric"} <= codes
    assert set_password(member.email, code).status_code == 204


def test_a_new_account_gets_an_onboarding_code_and_no_usable_password():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client = admin_login(Client(), superuser)
    form = client.get(reverse("admin:accounts_user_add"))
    assert form.status_code == 200
    assert b'name="password' not in form.content  # no password1/password2/usable_password
    response = client.post(
        reverse("admin:accounts_user_add"), {"email": "nieuw@example.test", "language": "nl"}
    )
    assert not CODE_PATTERN.search(response.content.decode())
    assert b"n***@e***.test" in response.content
    user = User.objects.get(email="nieuw@example.test")
    assert not is_password_usable(user.password)
    assert CredentialCode.objects.get(user=user).purpose == "onboarding"
    assert set_password(user.email, mailed_code(user)).status_code == 204


def test_credentials_set_is_throttled_per_client(throttle_rates):
    throttle_rates(login="3/min", refresh="3/min")
    codes = [set_password("a@example.test", "X").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_nobody_resets_their_own_credentials(admin_client):
    with pytest.raises(DomainError) as refused:
        credentials_reset(
            user=admin_client.user, actor=admin_client.user, context=SYSTEM["context"]
        )
    assert refused.value.code == "credential_reset_self"


def test_a_functional_admin_cannot_reset_a_privacy_officer_or_another_admin(admin_client):
    for target in (UserFactory(privacy_officer=True), UserFactory(admin=True)):
        with pytest.raises(DomainError) as refused:
            credentials_reset(user=target, actor=admin_client.user, context=SYSTEM["context"])
        assert refused.value.code == "credential_reset_not_allowed"
        target.refresh_from_db()
        assert target.check_password(PASSWORD)
