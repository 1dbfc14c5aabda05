"""Talking to an organisation's OpenID Provider (docs/adr/0046): the configured providers, the
discovery document, the authorization request with PKCE, the code exchange and the ID token's
checks (signature by the provider's published keys, iss, aud, nonce, exp). No account logic
here: accounts.services.oidc_login decides who a verified subject is.

Built on PyJWT (already here through simplejwt) and requests rather than a library that
assumes one provider per site; its PyJWKClient fetches the provider's keys again when a token
names a key it has not seen, which is how a rotated key is picked up."""

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings

from backend.errors import DomainError

TIMEOUT_SECONDS = 5
DISCOVERY_MAX_AGE_SECONDS = 3600
MFA_AMR_DEFAULT = ("mfa", "otp", "hwk", "swk", "sms", "fido")


@dataclass(frozen=True)
class ProviderConfig:
    """One organisation's provider, from settings.OIDC_PROVIDERS (name -> these keys)."""

    name: str
    label: str
    issuer: str
    client_id: str
    client_secret: str = ""
    domains: tuple[str, ...] = ()
    mfa_acr: tuple[str, ...] = ()
    mfa_amr: tuple[str, ...] = MFA_AMR_DEFAULT
    app_client_ids: tuple[str, ...] = ()
    scope: str = "openid email"
    leeway_seconds: int = 30
    # A token naming an unknown key fetches the provider's keys again at most this often, so a
    # flood of made-up key ids cannot make us hammer the provider.
    keys_refetch_seconds: float = 30

    @property
    def audiences(self) -> tuple[str, ...]:
        return (self.client_id, *self.app_client_ids)


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the browser, and what to keep (server side) until it comes back."""

    url: str
    state: str
    nonce: str
    code_verifier: str
    provider: str


@dataclass
class _Metadata:
    document: dict[str, Any]
    fetched: float
    keys: jwt.PyJWKClient = field(repr=False)


_metadata: dict[str, _Metadata] = {}
_lock = threading.Lock()


def providers() -> list[ProviderConfig]:
    """The configured providers, in settings order."""
    out = []
    for name, raw in settings.OIDC_PROVIDERS.items():
        values = dict(raw)
        for key in ("domains", "mfa_acr", "mfa_amr", "app_client_ids"):
            if key in values:
                values[key] = tuple(str(v).lower() if key == "domains" else v for v in values[key])
        values.setdefault("label", name)
        out.append(ProviderConfig(name=name, **values))
    return out


def provider_named(name: str) -> ProviderConfig:
    for provider in providers():
        if provider.name == name:
            return provider
    raise DomainError("oidc_provider_unknown")


def provider_for_email(email: str) -> ProviderConfig:
    """The provider of the organisation whose e-mail domain this is."""
    domain = email.rpartition("@")[2].strip().lower()
    for provider in providers():
        if domain and domain in provider.domains:
            return provider
    raise DomainError("oidc_provider_unknown")


def metadata_forget() -> None:
    """Drops the cached discovery documents and keys (tests; a changed configuration)."""
    with _lock:
        _metadata.clear()


def _get(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise DomainError("oidc_provider_unavailable") from exc


def metadata(provider: ProviderConfig) -> _Metadata:
    """The provider's discovery document (cached an hour). Its issuer must be the configured
    one (OpenID Connect Discovery 1.0, section 4.3)."""
    with _lock:
        cached = _metadata.get(provider.issuer)
    if cached and time.monotonic() - cached.fetched < DISCOVERY_MAX_AGE_SECONDS:
        return cached
    document = _get(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
    if document.get("issuer") != provider.issuer:
        raise DomainError("oidc_provider_unavailable")
    keys = jwt.PyJWKClient(
        document["jwks_uri"],
        cache_keys=True,
        timeout=TIMEOUT_SECONDS,
        cooldown_duration=provider.keys_refetch_seconds,
    )
    fresh = _Metadata(document=document, fetched=time.monotonic(), keys=keys)
    with _lock:
        _metadata[provider.issuer] = fresh
    return fresh


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_begin(*, provider: ProviderConfig, redirect_uri: str) -> AuthorizationRequest:
    """The authorization code request with PKCE (S256), a state and a nonce."""
    document = metadata(provider).document
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": provider.client_id,
            "redirect_uri": redirect_uri,
            "scope": provider.scope,
            "state": state,
            "nonce": nonce,
            "code_challenge": pkce_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    return AuthorizationRequest(
        url=f"{document['authorization_endpoint']}?{query}",
        state=state,
        nonce=nonce,
        code_verifier=verifier,
        provider=provider.name,
    )


def code_exchange(
    *,
    provider: ProviderConfig,
    code: str,
    code_verifier: str,
    redirect_uri: str,
    client_id: str = "",
) -> str:
    """Exchanges an authorization code at the token endpoint; returns the ID token. The web
    client authenticates with its secret; the app's (public) client only with the verifier."""
    document = metadata(provider).document
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    auth = None
    if not client_id or client_id == provider.client_id:
        auth = (provider.client_id, provider.client_secret) if provider.client_secret else None
        data["client_id"] = provider.client_id
    else:
        data["client_id"] = client_id
    try:
        response = requests.post(
            document["token_endpoint"], data=data, auth=auth, timeout=TIMEOUT_SECONDS
        )
    except requests.RequestException as exc:
        raise DomainError("oidc_provider_unavailable") from exc
    if response.status_code >= 500:
        raise DomainError("oidc_provider_unavailable")
    body = response.json() if response.content else {}
    if response.status_code != 200 or "id_token" not in body:
        raise DomainError("oidc_token_invalid")
    return body["id_token"]


def id_token_verify(*, provider: ProviderConfig, id_token: str, nonce: str) -> dict[str, Any]:
    """The ID token's claims, after checking its signature with the provider's published key
    (fetched again when the token names a key not seen before: key rotation), the algorithm,
    iss, aud (our client, or the app's), exp and iat, and the nonce of this login."""
    found = metadata(provider)
    algorithms = found.document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [a for a in algorithms if a != "none" and not a.startswith("HS")] or ["RS256"]
    try:
        key = found.keys.get_signing_key_from_jwt(id_token)
        claims = jwt.decode(
            id_token,
            key=key.key,
            algorithms=algorithms,
            audience=list(provider.audiences),
            issuer=provider.issuer,
            leeway=provider.leeway_seconds,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.PyJWKClientConnectionError as exc:
        raise DomainError("oidc_provider_unavailable") from exc
    except (jwt.InvalidTokenError, jwt.PyJWKClientError) as exc:
        raise DomainError("oidc_token_invalid") from exc
    if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise DomainError("oidc_token_invalid")
    return claims


def claims_from_code(
    *,
    provider: ProviderConfig,
    code: str,
    code_verifier: str,
    redirect_uri: str,
    nonce: str,
    client_id: str = "",
) -> dict[str, Any]:
    """The verified claims of the login an authorization code stands for."""
    if client_id and client_id not in provider.audiences:
        raise DomainError("oidc_token_invalid")
    id_token = code_exchange(
        provider=provider,
        code=code,
        code_verifier=code_verifier,
        redirect_uri=redirect_uri,
        client_id=client_id,
    )
    return id_token_verify(provider=provider, id_token=id_token, nonce=nonce)


def second_factor_shown(*, provider: ProviderConfig, claims: dict[str, Any]) -> bool:
    """Whether the provider says a second factor was used: an `acr` in the provider's accepted
    list, or an `amr` value among its accepted ones."""
    if provider.mfa_acr and claims.get("acr") in provider.mfa_acr:
        return True
    amr = claims.get("amr") or []
    return isinstance(amr, list) and any(value in provider.mfa_amr for value in amr)
