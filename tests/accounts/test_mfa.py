"""Second factor (TOTP) in the JWT flow and the admin: required roles, exemption, enrolment,
recovery codes, lockout and logging."""

import base64
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginSession
from accounts.roles import Role
from audit.models import AccessLog, AccessOutcome, Action
from tests.factories import PASSWORD, TeamFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

LOGIN = reverse("auth-login")
VERIFY = reverse("auth-mfa-verify")
BEGIN = reverse("auth-mfa-totp")
CONFIRM = reverse("auth-mfa-totp-confirm")
REFRESH = reverse("auth-refresh")
ME = reverse("me")


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def login(client, user):
    return client.post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")


def verify(client, token, code):
    return client.post(VERIFY, {"mfa_token": token, "code": code}, format="json")


@pytest.fixture
def team_member():
    return member_of(TeamFactory())


def test_required_role_gets_no_tokens_without_a_code(api_client, team_member):
    enrolled(team_member)
    response = login(api_client, team_member)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"mfa_required", "enrolment_required", "mfa_token"}
    assert body["mfa_required"] is True and body["enrolment_required"] is False
    assert "no-store" in response["Cache-Control"]
    assert not LoginSession.objects.filter(user=team_member).exists()
    # The mfa_token is not an access token.
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['mfa_token']}")
    assert api_client.get(ME).status_code == 401


def test_required_role_gets_tokens_with_a_valid_code(api_client, team_member):
    device = enrolled(team_member)
    token = login(api_client, team_member).json()["mfa_token"]
    response = verify(api_client, token, code_for(device))
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    assert LoginSession.objects.filter(user=team_member).count() == 1
    row = AccessLog.objects.get(action=Action.LOGIN)
    assert row.actor_id == team_member.pk
    assert row.details == {"method": "totp"}
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert api_client.get(ME).status_code == 200


def test_wrong_code_is_refused_and_logged(api_client, team_member):
    enrolled(team_member)
    token = login(api_client, team_member).json()["mfa_token"]
    response = verify(api_client, token, "12345x")
    assert response.status_code == 401
    assert response.json()["code"] == "mfa_code_invalid"
    assert not LoginSession.objects.exists()
    row = AccessLog.objects.get(action=Action.LOGIN_FAILED)
    assert row.outcome == AccessOutcome.FAILED
    assert row.actor_id == team_member.pk
    assert row.details["reason"] == "mfa_code"
    assert team_member.email not in str(row.details)


def test_mfa_token_works_once_and_is_bound_to_its_purpose(api_client, team_member):
    device = enrolled(team_member)
    token = login(api_client, team_member).json()["mfa_token"]
    assert verify(api_client, token, code_for(device)).status_code == 200
    # last_login changed: the same token cannot open a second session, even with a new code.
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    again = verify(api_client, token, code_for(device))
    assert again.status_code == 401
    assert again.json()["code"] == "mfa_token_invalid"
    assert verify(api_client, token + "x", "123456").json()["code"] == "mfa_token_invalid"


def test_recovery_code_works_once(api_client, team_member):
    enrolled(team_member)
    from accounts.services import recovery_codes_replace

    codes = recovery_codes_replace(user=team_member)
    assert len(codes) == 10 and len(set(codes)) == 10

    token = login(api_client, team_member).json()["mfa_token"]
    first = verify(api_client, token, codes[0].upper())
    assert first.status_code == 200
    assert AccessLog.objects.get(action=Action.LOGIN).details == {"method": "recovery_code"}

    token = login(api_client, team_member).json()["mfa_token"]
    second = verify(api_client, token, codes[0])
    assert second.status_code == 401
    assert StaticToken.objects.filter(device__user=team_member).count() == 9


def test_exempt_field_worker_gets_tokens_directly(api_client):
    worker = UserFactory(field_worker=True)
    response = login(api_client, worker)
    assert set(response.json()) == {"access", "refresh"}


def test_without_exemption_field_worker_needs_mfa_too(api_client, settings):
    settings.MFA_EXEMPT_FIELD_WORKERS = False
    worker = UserFactory(field_worker=True)
    body = login(api_client, worker).json()
    assert body["mfa_required"] is True
    assert body["enrolment_required"] is True
    assert not LoginSession.objects.exists()


@pytest.mark.parametrize("trait", ["privacy_officer", "admin"])
def test_staff_roles_need_mfa(api_client, trait):
    user = UserFactory(**{trait: True})
    assert login(api_client, user).json()["mfa_required"] is True


def test_user_without_roles_is_not_asked(api_client):
    user = UserFactory()
    assert set(login(api_client, user).json()) == {"access", "refresh"}


def test_first_login_enrols_then_gets_tokens(api_client, team_member):
    body = login(api_client, team_member).json()
    assert body["enrolment_required"] is True
    enrolment = {"HTTP_AUTHORIZATION": f"MFA-Enrolment {body['mfa_token']}"}

    # The enrolment token opens the enrolment endpoints and nothing else.
    assert api_client.get(ME, **enrolment).status_code == 401
    assert verify(api_client, body["mfa_token"], "123456").json()["code"] == "mfa_token_invalid"

    begun = api_client.post(BEGIN, {}, format="json", **enrolment)
    assert begun.status_code == 200
    assert begun.json()["otpauth_uri"].startswith("otpauth://totp/")
    assert begun.json()["qr_svg_data_uri"].startswith("data:image/svg+xml;base64,")
    assert "no-store" in begun["Cache-Control"]
    device = TOTPDevice.objects.get(user=team_member, confirmed=False)
    # The secret to type by hand is the one the QR code carries: the device key in base32.
    secret = begun.json()["secret"]
    assert parse_qs(urlsplit(begun.json()["otpauth_uri"]).query)["secret"] == [secret]
    assert base64.b32decode(secret) == bytes.fromhex(device.key)

    wrong = api_client.post(CONFIRM, {"code": "12345x"}, format="json", **enrolment)
    assert wrong.json()["code"] == "mfa_code_invalid"
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # counted although the request failed
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # skip the wait

    confirmed = api_client.post(CONFIRM, {"code": code_for(device)}, format="json", **enrolment)
    assert confirmed.status_code == 200
    body = confirmed.json()
    assert len(body["recovery_codes"]) == 10
    assert set(body["tokens"]) == {"access", "refresh"}
    device.refresh_from_db()
    assert device.confirmed
    assert AccessLog.objects.filter(action=Action.MFA_ENROL, actor_id=team_member.pk).exists()
    assert AccessLog.objects.get(action=Action.LOGIN).details == {"method": "totp_enrolment"}

    # The enrolment token is spent once the user logged in with it.
    again = api_client.post(BEGIN, {}, format="json", **enrolment)
    assert again.status_code == 401


def test_confirm_without_begin_is_refused(client_for, team_member):
    response = client_for(team_member).post(
        CONFIRM, {"code": "123456", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "mfa_enrolment_not_started"


def test_replacing_a_device_needs_the_password_and_the_current_factor(client_for, team_member):
    old = enrolled(team_member)
    client = client_for(team_member)
    refused = client.post(BEGIN, {"password": PASSWORD}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "mfa_reverification_required"
    no_password = client.post(BEGIN, {"code": code_for(old)}, format="json")
    assert no_password.status_code == 403
    assert no_password.json()["code"] == "password_reverification_failed"

    begun = client.post(BEGIN, {"code": code_for(old), "password": PASSWORD}, format="json")
    assert begun.status_code == 200
    new = TOTPDevice.objects.get(user=team_member, confirmed=False)
    response = client.post(CONFIRM, {"code": code_for(new), "password": PASSWORD}, format="json")
    assert response.status_code == 200
    # The second factor changed: every earlier session ends, this one too; a new pair comes.
    assert set(response.json()["tokens"]) == {"access", "refresh"}
    assert client.get(ME).status_code == 401
    assert list(TOTPDevice.objects.filter(user=team_member)) == [new]


def test_repeated_wrong_codes_lock_the_account(api_client, team_member, settings):
    device = enrolled(team_member)
    token = login(api_client, team_member).json()["mfa_token"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        verify(api_client, token, "12345x")
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    locked = verify(api_client, token, code_for(device))
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    assert not LoginSession.objects.exists()


def test_refresh_refuses_a_password_only_session_once_mfa_is_required(api_client):
    worker = UserFactory(field_worker=True)
    pair = login(api_client, worker).json()
    worker.groups.add(Group.objects.get(name=Role.TEAM_MEMBER))  # promoted while logged in
    response = api_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"


def test_refresh_keeps_an_mfa_session(api_client, team_member):
    device = enrolled(team_member)
    token = login(api_client, team_member).json()["mfa_token"]
    pair = verify(api_client, token, code_for(device)).json()
    assert api_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json").status_code == 200


def test_admin_requires_a_verified_device(client):
    admin_user = UserFactory(admin=True)
    device = enrolled(admin_user)
    url = reverse("admin:login")
    without = client.post(url, {"username": admin_user.email, "password": PASSWORD})
    assert without.status_code == 200  # form shown again: no code
    assert client.get(reverse("admin:index")).status_code == 302  # still on the login page

    with_code = client.post(
        url,
        {
            "username": admin_user.email,
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": code_for(device),
        },
    )
    assert with_code.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    actions = list(AccessLog.objects.order_by("occurred_at").values_list("action", flat=True))
    assert actions == [Action.LOGIN_FAILED, Action.LOGIN]


def test_admin_session_login_without_device_is_not_staff(client):
    admin_user = UserFactory(admin=True)
    client.force_login(admin_user)  # password only, no device verified
    assert client.get(reverse("admin:index")).status_code == 302
