"""The app's sign-in (docs/adr/0046): the code flow with PKCE at the provider process, then
POST /auth/oidc/exchange for our session-bound tokens, which logout and revocation end as any
login's."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import LoginSession, OidcIdentity
from accounts.services.sessions import AMR_CLAIM
from audit.models import AccessLog, Action
from tests.factories import PASSWORD, TeamFactory, UserFactory, member_of
from tests.oidc.provider_process import APP_CLIENT, app_authorize

pytestmark = pytest.mark.django_db

EXCHANGE = "/api/v1/auth/oidc/exchange"


def exchange(flow: dict, **extra) -> object:
    body = {"provider": "utrecht", "client_id": APP_CLIENT, **flow, **extra}
    return APIClient().post(EXCHANGE, body, format="json")


def test_provider_mfa_gives_our_token_pair_and_logout_ends_it(utrecht):
    user = member_of(TeamFactory(), email="anna@utrecht.example")
    response = exchange(app_authorize(utrecht, account="sub-anna", mfa=True))
    assert response.status_code == 200, response.json()
    pair = response.json()
    assert set(pair) == {"access", "refresh"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert client.get("/api/v1/me").status_code == 200
    assert LoginSession.objects.filter(user=user).count() == 1
    assert AccessToken(pair["access"])[AMR_CLAIM] == ["ext", "mfa"]
    assert AccessLog.objects.filter(action=Action.LOGIN, details__method="oidc_mfa").count() == 1
    assert (
        client.post("/api/v1/auth/logout", {"refresh": pair["refresh"]}, format="json").status_code
        == 204
    )
    assert client.get("/api/v1/me").status_code == 401


def test_without_the_providers_second_factor_a_team_role_gets_the_totp_step(utrecht):
    member_of(TeamFactory(), email="anna@utrecht.example")
    response = exchange(app_authorize(utrecht, account="sub-anna", mfa=False))
    assert response.status_code == 200
    assert response.json()["mfa_required"] is True
    assert not LoginSession.objects.exists()


def test_a_field_worker_without_mfa_gets_an_ext_only_pair(utrecht):
    UserFactory(email="anna@utrecht.example", field_worker=True)
    response = exchange(app_authorize(utrecht, account="sub-anna", mfa=False))
    assert set(response.json()) == {"access", "refresh"}
    assert AccessToken(response.json()["access"])[AMR_CLAIM] == ["ext"]
    assert AccessLog.objects.filter(action=Action.LOGIN, details__method="oidc").count() == 1


def test_a_wrong_verifier_is_refused_and_changes_nothing(utrecht):
    member_of(TeamFactory(), email="anna@utrecht.example")
    flow = app_authorize(utrecht, account="sub-anna", mfa=True)
    flow["code_verifier"] = "x" * 50
    response = exchange(flow)
    assert response.status_code == 401 and response.json()["code"] == "oidc_token_invalid"
    assert not LoginSession.objects.exists() and not OidcIdentity.objects.exists()


def test_a_wrong_nonce_is_refused(utrecht):
    member_of(TeamFactory(), email="anna@utrecht.example")
    response = exchange(app_authorize(utrecht, account="sub-anna", mfa=True), nonce="other")
    assert response.status_code == 401 and response.json()["code"] == "oidc_token_invalid"


def test_a_client_id_not_configured_is_refused(utrecht):
    flow = app_authorize(utrecht, account="sub-anna", mfa=True)
    response = exchange(flow, client_id="someone-else")
    assert response.status_code == 401


def test_an_unknown_provider_and_no_account(utrecht):
    flow = app_authorize(utrecht, account="sub-nobody", mfa=True)
    assert exchange(flow, provider="nope").json()["code"] == "oidc_provider_unknown"
    response = exchange(flow)
    assert response.status_code == 403 and response.json()["code"] == "oidc_account_unknown"
    assert not LoginSession.objects.exists()


def test_the_password_api_refuses_a_role_switched_to_its_provider(utrecht, settings):
    user = member_of(TeamFactory(), email="anna@utrecht.example")
    settings.LOCAL_PASSWORD_DISABLED_ROLES = ["team_member"]
    response = APIClient().post(
        "/api/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "local_login_disabled"
    assert AccessLog.objects.filter(
        action=Action.LOGIN_FAILED, details__reason="local_login_disabled"
    ).exists()
