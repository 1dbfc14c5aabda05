"""The ID token's checks and the provider's keys, against real tokens signed by the provider
process (docs/adr/0046): a wrong audience, issuer or nonce, an expired token, a rotated key
fetched again, and a provider that is down."""

import time
from dataclasses import replace
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from accounts import oidc
from backend.errors import DomainError
from tests.factories import PASSWORD, TeamFactory, member_of
from tests.oidc.provider_process import (
    APP_CLIENT,
    OTHER_CLIENT,
    OTHER_SECRET,
    WORKSPACE_CALLBACK,
    id_token_for,
    provider_login,
    wait_until_down,
)

START = "/werkruimte/inloggen/organisatie/"


def config(provider, **overrides) -> oidc.ProviderConfig:
    values = provider.config(**overrides)
    values["domains"] = tuple(values["domains"])
    values["mfa_acr"] = tuple(values["mfa_acr"])
    values["app_client_ids"] = tuple(values["app_client_ids"])
    return oidc.ProviderConfig(name="utrecht", **values)


def refused(code: str, **kwargs) -> None:
    with pytest.raises(DomainError) as caught:
        oidc.id_token_verify(**kwargs)
    assert caught.value.code == code


def test_a_signed_token_for_our_client_passes(oidc_provider):
    provider = config(oidc_provider)
    token, nonce = id_token_for(oidc_provider, account="sub-anna", client_id=APP_CLIENT, secret="")
    claims = oidc.id_token_verify(provider=provider, id_token=token, nonce=nonce)
    assert claims["sub"] == "sub-anna" and claims["iss"] == oidc_provider.issuer


def test_a_token_for_another_relying_party_is_refused(oidc_provider):
    token, nonce = id_token_for(
        oidc_provider, account="sub-anna", client_id=OTHER_CLIENT, secret=OTHER_SECRET
    )
    refused("oidc_token_invalid", provider=config(oidc_provider), id_token=token, nonce=nonce)
    # the same token passes for a configuration that names that client: the check is aud
    other = config(oidc_provider, client_id=OTHER_CLIENT)
    assert oidc.id_token_verify(provider=other, id_token=token, nonce=nonce)["aud"] == OTHER_CLIENT


def test_a_token_of_another_issuer_is_refused(oidc_provider):
    token, nonce = id_token_for(oidc_provider, account="sub-anna", client_id=APP_CLIENT, secret="")
    provider = config(oidc_provider)
    elsewhere = replace(provider, issuer="https://login.elsewhere.example")
    # the keys the token is signed with, under the other issuer's name: only iss differs
    oidc._metadata[elsewhere.issuer] = oidc.metadata(provider)
    refused("oidc_token_invalid", provider=elsewhere, id_token=token, nonce=nonce)


def test_a_token_with_another_nonce_is_refused(oidc_provider):
    token, _nonce = id_token_for(oidc_provider, account="sub-anna", client_id=APP_CLIENT, secret="")
    refused("oidc_token_invalid", provider=config(oidc_provider), id_token=token, nonce="other")
    refused("oidc_token_invalid", provider=config(oidc_provider), id_token=token, nonce="")


def test_a_tampered_token_is_refused(oidc_provider):
    token, nonce = id_token_for(oidc_provider, account="sub-anna", client_id=APP_CLIENT, secret="")
    head, body, signature = token.split(".")
    forged = ".".join(
        [head, body, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")]
    )
    refused("oidc_token_invalid", provider=config(oidc_provider), id_token=forged, nonce=nonce)


def test_an_expired_token_is_refused(own_provider):
    own_provider.restart(id_token_ttl=1)
    provider = config(own_provider, leeway_seconds=0)
    token, nonce = id_token_for(own_provider, account="sub-anna", client_id=APP_CLIENT, secret="")
    time.sleep(2.1)
    refused("oidc_token_invalid", provider=provider, id_token=token, nonce=nonce)


@pytest.mark.django_db
def test_a_rotated_key_is_fetched_again(own_provider, settings):
    settings.OIDC_PROVIDERS = {"utrecht": own_provider.config(keys_refetch_seconds=0)}
    member_of(TeamFactory(), email="anna@utrecht.example")

    def sign_in() -> str:
        client = Client()
        response = client.post(START, {"oidc-email": "anna@utrecht.example"})
        back = provider_login(
            response["Location"], account="sub-anna", mfa=True, stop_at="http://testserver/"
        )
        parsed = urlparse(back)
        return client.get(parsed.path, parse_qs(parsed.query))["Location"]

    assert sign_in() == "/werkruimte/"
    before = oidc.metadata(oidc.provider_named("utrecht"))
    assert [k.key_id for k in before.keys.get_signing_keys()] == ["key-1"]
    own_provider.restart(key_id="key-2")  # a new key; the discovery document stays cached
    assert sign_in() == "/werkruimte/"
    after = oidc.metadata(oidc.provider_named("utrecht"))
    assert after is before
    assert [k.key_id for k in after.keys.get_signing_keys()] == ["key-2"]


@pytest.mark.django_db
def test_a_provider_that_is_down_gets_a_clear_page_and_local_login_stays(own_provider, settings):
    settings.OIDC_PROVIDERS = {"utrecht": own_provider.config()}
    user = member_of(TeamFactory(), email="anna@utrecht.example")
    own_provider.stop()
    wait_until_down(own_provider)
    client = Client()
    response = client.post(START, {"oidc-email": "anna@utrecht.example"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "cannot be reached" in page or "niet bereikbaar" in page
    assert 'name="password"' in page  # the local login, on the same page
    response = client.post("/werkruimte/inloggen/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].endswith("/inloggen/koppelen/")


@pytest.mark.django_db
def test_a_provider_that_goes_down_after_the_redirect(own_provider, settings):
    settings.OIDC_PROVIDERS = {"utrecht": own_provider.config()}
    member_of(TeamFactory(), email="anna@utrecht.example")
    client = Client()
    response = client.post(START, {"oidc-email": "anna@utrecht.example"})
    back = provider_login(
        response["Location"], account="sub-anna", mfa=True, stop_at="http://testserver/"
    )
    own_provider.stop()
    wait_until_down(own_provider)
    parsed = urlparse(back)
    response = client.get(WORKSPACE_CALLBACK, parse_qs(parsed.query))
    assert response.status_code == 503
    assert client.get("/werkruimte/wachtrij/").status_code == 302
