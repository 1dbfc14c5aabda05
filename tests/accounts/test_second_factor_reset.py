"""Issue 13: the functional admin resets a user's second factor alone, keeping the password,
through the credential-reset rules of docs/adr/0016: never their own, an admin or privacy
officer only by a superuser, a one-time code that linking a new app asks for, an access-log
row, every session ended. Issue 18 item 5: the code goes by e-mail to the account holder, never
to the admin (docs/adr/0034)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import CredentialCode, LoginSession, User
from accounts.services import second_factor_reset
from audit.models import AccessLog, Action
from backend.errors import DomainError
from tests.accounts.helpers import CODE_PATTERN, SYSTEM, code_for, mailed_code, totp_device
from tests.factories import PASSWORD, UserFactory
from tests.fixtures import token_client

pytestmark = pytest.mark.django_db

LOGIN = reverse("auth-login")
BEGIN = reverse("auth-mfa-totp")
CONFIRM = reverse("auth-mfa-totp-confirm")
CHANGELIST = reverse("admin:accounts_user_changelist")
WORKSPACE_LOGIN = "/werkruimte/inloggen/"


def reset_in_admin(admin_client, *users):
    selected = {"action": "reset_second_factor", "_selected_action": [u.pk for u in users]}
    confirm = admin_client.post(CHANGELIST, selected)
    assert b"Ja, tweede factor resetten" in confirm.content
    assert not CredentialCode.objects.exists()  # nothing happens before the confirmation
    return admin_client.post(CHANGELIST, {**selected, "confirm": "yes"})


def enrolment_token(user: User) -> dict:
    body = APIClient().post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")
    assert body.json()["enrolment_required"] is True, body.json()
    return {"HTTP_AUTHORIZATION": f"MFA-Enrolment {body.json()['mfa_token']}"}


def test_the_admin_resets_the_second_factor_and_the_password_stays(admin_client, member):
    app = token_client(member)
    response = reset_in_admin(admin_client, member)
    assert "no-store" in response["Cache-Control"]
    assert not CODE_PATTERN.search(response.content.decode())  # the admin never sees it

    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not StaticDevice.objects.filter(user=member).exists()
    assert not LoginSession.objects.filter(user=member, revoked_at__isnull=True).exists()
    assert app.get(reverse("me")).status_code == 401
    assert CredentialCode.objects.get(user=member).purpose == "second_factor"
    row = AccessLog.objects.get(action=Action.MFA_CHANGE, object_id=str(member.pk))
    assert row.actor_id == admin_client.user.pk
    assert row.details["change"] == "reset_second_factor"
    assert (row.details["devices_removed"], row.details["password_kept"]) == (2, True)
    assert row.details["sessions_ended"] >= 1
    assert not AccessLog.objects.filter(action=Action.CREDENTIAL_CHANGE).exists()
    code = mailed_code(member)
    assert code not in str(row.details) and code not in response.content.decode()
    assert code.replace("-", "") not in CredentialCode.objects.get(user=member).code_hash


def test_linking_a_new_app_needs_the_handed_over_code_and_uses_it_up(member):
    second_factor_reset(user=member, **SYSTEM)
    code = mailed_code(member)
    enrolment = enrolment_token(member)
    client = APIClient()
    for wrong in ({}, {"code": "AAAAA-AAAAA-AAAAA-AAAAA"}):
        refused = client.post(BEGIN, wrong, format="json", **enrolment)
        assert refused.status_code == 403
        assert refused.json()["code"] == "second_factor_code_required"
        assert not TOTPDevice.objects.filter(user=member).exists()

    begun = client.post(BEGIN, {"code": code.lower()}, format="json", **enrolment)
    assert begun.status_code == 200, begun.json()
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    confirmed = client.post(CONFIRM, {"code": code_for(device)}, format="json", **enrolment)
    assert confirmed.status_code == 200, confirmed.json()
    assert not CredentialCode.objects.filter(user=member).exists()


def test_the_workspace_asks_for_the_code_before_the_qr_code(client, member):
    second_factor_reset(user=member, **SYSTEM)
    code = mailed_code(member)
    response = client.post(WORKSPACE_LOGIN, {"email": member.email, "password": PASSWORD})
    assert response["Location"] == WORKSPACE_LOGIN + "koppelen/"
    asked = client.get(WORKSPACE_LOGIN + "koppelen/").content.decode()
    assert 'name="reset_code"' in asked and "data:image/svg" not in asked
    wrong = client.post(WORKSPACE_LOGIN + "koppelen/", {"reset_code": "AAAAA"}).content.decode()
    assert 'name="reset_code"' in wrong and "data:image/svg" not in wrong
    page = client.post(WORKSPACE_LOGIN + "koppelen/", {"reset_code": code}).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    pending = TOTPDevice.objects.get(user=member, confirmed=False)
    codes = client.post(WORKSPACE_LOGIN + "koppelen/", {"code": code_for(pending)})
    assert codes.status_code == 200 and len(codes.context["codes"]) == 10
    assert not CredentialCode.objects.filter(user=member).exists()


def test_the_second_factor_code_does_not_set_a_password(member):
    second_factor_reset(user=member, **SYSTEM)
    code = mailed_code(member)
    body = {"email": member.email, "code": code, "password": "een-ander-wachtwoord-77"}
    response = APIClient().post(reverse("auth-credentials-set"), body, format="json")
    assert response.json()["code"] == "credential_code_invalid"
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_nobody_resets_their_own_second_factor(admin_client):
    me = admin_client.user
    with pytest.raises(DomainError) as refused:
        second_factor_reset(user=me, actor=me, context=SYSTEM["context"])
    assert refused.value.code == "credential_reset_self"


def test_a_functional_admin_cannot_reset_a_privacy_officer_or_another_admin(admin_client):
    targets = [UserFactory(privacy_officer=True), UserFactory(admin=True)]
    for target in targets:
        totp_device(target)
    response = reset_in_admin(admin_client, *targets)
    assert response.status_code == 302  # back to the list, with a message per refusal
    page = admin_client.get(response["Location"]).content.decode()
    assert page.count("Alleen een superuser reset") == 2
    for target in targets:
        assert TOTPDevice.objects.filter(user=target, confirmed=True).exists()
    assert not AccessLog.objects.filter(action=Action.MFA_CHANGE).exists()


def test_an_account_without_a_password_needs_the_full_reset(member):
    member.set_unusable_password()
    member.save()
    with pytest.raises(DomainError) as refused:
        second_factor_reset(user=member, **SYSTEM)
    assert refused.value.code == "second_factor_reset_without_password"
    assert TOTPDevice.objects.filter(user=member).exists()
