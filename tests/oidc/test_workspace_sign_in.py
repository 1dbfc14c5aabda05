"""Signing in to the workspace at the organisation's provider (docs/adr/0046), against the real
provider process: the code flow with PKCE, the account found by its link (iss, sub), the
provider's second factor counted or the local TOTP step asked, and never an account or access
made by the provider alone."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from accounts.models import OidcIdentity, User
from audit.models import AccessLog, Action
from tests.accounts.helpers import fresh_code, totp_device
from tests.factories import PASSWORD, TeamFactory, UserFactory, member_of
from tests.oidc.provider_process import WORKSPACE_CALLBACK, provider_login

pytestmark = pytest.mark.django_db

START = "/werkruimte/inloggen/organisatie/"
LOGIN = "/werkruimte/inloggen/"


def sign_in(client: Client, *, account: str, mfa: bool, email: str = "x@utrecht.example"):
    """The workspace's start, the provider's login page, and the callback; returns the
    callback's response."""
    response = client.post(START, {"oidc-email": email})
    assert response.status_code == 302, response.content[:300]
    authorize = response["Location"]
    back = provider_login(authorize, account=account, mfa=mfa, stop_at="http://testserver/")
    parsed = urlparse(back)
    assert parsed.path == WORKSPACE_CALLBACK
    return client.get(parsed.path, parse_qs(parsed.query))


def login_rows(method: str) -> int:
    return AccessLog.objects.filter(action=Action.LOGIN, details__method=method).count()


def failed(reason: str) -> int:
    return AccessLog.objects.filter(action=Action.LOGIN_FAILED, details__reason=reason).count()


def test_the_authorization_request_uses_discovery_pkce_state_and_nonce(utrecht):
    response = Client().post(START, {"oidc-email": "anna@utrecht.example"})
    assert response.status_code == 302
    url = urlparse(response["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{utrecht.issuer}/auth"  # from discovery
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["client_id"] == ["buurtsignaal"] and query["response_type"] == ["code"]
    assert query["state"][0] and query["nonce"][0]


def test_provider_mfa_opens_the_workspace_with_the_apps_own_roles(utrecht):
    team = TeamFactory(name="Buurtteam Oost")
    user = member_of(team, email="anna@utrecht.example")
    client = Client()
    response = sign_in(client, account="sub-anna", mfa=True)
    assert response.status_code == 302 and response["Location"] == "/werkruimte/"
    assert client.get("/werkruimte/wachtrij/").status_code == 200  # a team member's page
    link = OidcIdentity.objects.get(user=user)
    assert (link.issuer, link.subject) == (utrecht.issuer, "sub-anna")
    assert login_rows("session_oidc_mfa") == 1
    assert AccessLog.objects.filter(
        action=Action.CREDENTIAL_CHANGE, details__change="oidc_link", object_id=str(user.pk)
    ).exists()


def test_without_the_providers_second_factor_the_local_totp_step_follows(utrecht):
    user = member_of(TeamFactory(), email="anna@utrecht.example")
    device = totp_device(user)
    client = Client()
    response = sign_in(client, account="sub-anna", mfa=False)
    assert response.status_code == 302 and response["Location"].endswith("/inloggen/code/")
    assert client.get("/werkruimte/wachtrij/").status_code == 302  # not in yet
    response = client.post(LOGIN + "code/", {"code": fresh_code(device)})
    assert response.status_code == 302
    assert client.get("/werkruimte/wachtrij/").status_code == 200
    assert login_rows("session_oidc_mfa") == 0


def test_later_logins_match_the_subject_not_the_email(utrecht):
    user = member_of(TeamFactory(), email="anna@utrecht.example")
    sign_in(Client(), account="sub-anna", mfa=True)
    User.objects.filter(pk=user.pk).update(email="anna.de.vries@utrecht.example")
    client = Client()
    response = sign_in(client, account="sub-anna", mfa=True)
    assert response["Location"] == "/werkruimte/"
    assert OidcIdentity.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("account", "reason"),
    [
        ("sub-unverified", "oidc_email_not_verified"),
        ("sub-nobody", "oidc_no_account"),
        ("sub-elsewhere", "oidc_email_domain"),
    ],
)
def test_a_provider_login_never_makes_an_account(utrecht, account, reason):
    UserFactory(email="cees@utrecht.example")
    UserFactory(email="dirk@elsewhere.example")
    users = User.objects.count()
    client = Client()
    response = sign_in(client, account=account, mfa=True)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert User.objects.count() == users
    assert not OidcIdentity.objects.exists()
    assert failed(reason) == 1
    assert client.get("/werkruimte/").status_code == 302


def test_an_account_linked_once_is_not_linked_to_a_second_subject(utrecht):
    member_of(TeamFactory(), email="anna@utrecht.example")
    sign_in(Client(), account="sub-anna", mfa=True)
    response = sign_in(Client(), account="sub-second", mfa=True)  # same verified e-mail
    assert response["Location"] == LOGIN
    assert failed("oidc_already_linked") == 1
    assert OidcIdentity.objects.count() == 1


def test_a_deactivated_account_is_refused(utrecht):
    user = member_of(TeamFactory(), email="anna@utrecht.example")
    sign_in(Client(), account="sub-anna", mfa=True)
    User.objects.filter(pk=user.pk).update(is_active=False)
    client = Client()
    assert sign_in(client, account="sub-anna", mfa=True)["Location"] == LOGIN
    assert failed("oidc_account_inactive") == 1


def test_a_callback_without_our_state_is_refused(utrecht):
    member_of(TeamFactory(), email="anna@utrecht.example")
    client = Client()
    response = client.post(START, {"oidc-email": "anna@utrecht.example"})
    back = provider_login(
        response["Location"], account="sub-anna", mfa=True, stop_at="http://testserver/"
    )
    query = parse_qs(urlparse(back).query)
    query["state"] = ["forged"]
    response = client.get(WORKSPACE_CALLBACK, query)
    assert response["Location"] == LOGIN
    assert client.get("/werkruimte/").status_code == 302
    assert not OidcIdentity.objects.exists()


def test_an_unknown_domain_gets_a_clear_error(utrecht):
    response = Client().post(START, {"oidc-email": "x@nowhere.example"}, follow=True)
    assert "No sign-in with your organisation" in response.content.decode() or (
        "geen inlog via de eigen organisatie" in response.content.decode()
    )


def test_the_login_page_offers_the_organisation_when_configured(utrecht, settings):
    assert "oidc-email" in Client().get(LOGIN).content.decode()
    settings.OIDC_PROVIDERS = {}
    assert "oidc-email" not in Client().get(LOGIN).content.decode()


def test_local_password_login_switched_off_for_a_role(utrecht, settings):
    user = member_of(TeamFactory(), email="anna@utrecht.example")
    totp_device(user)
    settings.LOCAL_PASSWORD_DISABLED_ROLES = ["team_member"]
    client = Client()
    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200  # the login page again, with the message
    assert "workspace_mfa_token" not in client.session
    assert failed("local_login_disabled") == 1
    settings.LOCAL_PASSWORD_DISABLED_ROLES = ["admin"]
    response = Client().post(LOGIN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_the_admin_opens_after_a_provider_sign_in(utrecht):
    UserFactory(email="anna@utrecht.example", admin=True)
    client = Client()
    sign_in(client, account="sub-anna", mfa=True)
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_refuses_a_role_switched_to_its_provider(utrecht, settings):
    from django.urls import reverse

    admin = UserFactory(email="anna@utrecht.example", admin=True)
    device = totp_device(admin)
    settings.LOCAL_PASSWORD_DISABLED_ROLES = ["admin"]
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": admin.email, "password": PASSWORD, "otp_token": fresh_code(device)},
    )
    assert response.status_code == 200  # the form again
    assert client.get("/admin/").status_code == 302
    assert failed("admin_login_refused") == 1


def test_only_the_login_pages_forms_may_lead_to_the_provider(utrecht):
    client = Client()
    login_policy = client.get(LOGIN)["Content-Security-Policy"]
    assert f"form-action 'self' {utrecht.issuer};" in login_policy
    member_of(TeamFactory(), email="anna@utrecht.example")
    sign_in(client, account="sub-anna", mfa=True)
    assert "form-action 'self';" in client.get("/werkruimte/wachtrij/")["Content-Security-Policy"]


def test_an_answer_naming_another_issuer_is_refused(utrecht):
    """RFC 9207: the provider names itself in its answer (oidc-provider does); a mix-up with
    another provider's answer is refused before the code is used."""
    member_of(TeamFactory(), email="anna@utrecht.example")
    client = Client()
    response = client.post(START, {"oidc-email": "anna@utrecht.example"})
    back = provider_login(
        response["Location"], account="sub-anna", mfa=True, stop_at="http://testserver/"
    )
    query = parse_qs(urlparse(back).query)
    assert query["iss"] == [utrecht.issuer]
    query["iss"] = ["https://login.elsewhere.example"]
    assert client.get(WORKSPACE_CALLBACK, query)["Location"] == LOGIN
    assert not OidcIdentity.objects.exists()
