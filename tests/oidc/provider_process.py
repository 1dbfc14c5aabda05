"""The OpenID Provider the sign-in tests talk to: tests/oidc/provider/server.mjs (the certified
oidc-provider under node, pinned in its package-lock.json, installed by `make oidc-provider`)
started as a separate process on a free loopback port. Nothing here stands in for it: the tests
fetch its discovery document and keys, and it signs the ID tokens.

`provider_login` plays the person at the provider's login page with requests (the browser test
does the same in Chromium)."""

import base64
import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import pytest
import requests

HERE = Path(__file__).resolve().parent / "provider"
SERVER = HERE / "server.mjs"
HINT = "install node and npm, then `make oidc-provider` (npm ci in tests/oidc/provider)"

WEB_CLIENT = "buurtsignaal"
WEB_SECRET = "tests-only-web-client-secret"
APP_CLIENT = "buurtsignaal-app"
APP_REDIRECT = "nl.buurtsignaal.app:/oidc"
OTHER_CLIENT = "another-relying-party"
OTHER_SECRET = "tests-only-other-secret"
WORKSPACE_CALLBACK = "/werkruimte/inloggen/organisatie/terug/"

# Subjects at the provider and the claims it states for them.
ACCOUNTS = {
    "sub-anna": {"email": "anna@utrecht.example", "email_verified": True},
    "sub-bram": {"email": "bram@utrecht.example", "email_verified": True},
    "sub-unverified": {"email": "cees@utrecht.example", "email_verified": False},
    "sub-nobody": {"email": "nobody@utrecht.example", "email_verified": True},
    "sub-elsewhere": {"email": "dirk@elsewhere.example", "email_verified": True},
    "sub-second": {"email": "anna@utrecht.example", "email_verified": True},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def available() -> bool:
    return bool(shutil.which("node")) and (HERE / "node_modules" / "oidc-provider").exists()


def require_provider() -> None:
    if not available():
        if os.environ.get("CI"):
            pytest.fail(f"no OpenID Provider for the sign-in tests: {HINT}")
        pytest.skip(HINT)


class ProviderProcess:
    def __init__(self, *, web_base_urls: tuple[str, ...] = ("http://testserver",)) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.web_redirects = [base + WORKSPACE_CALLBACK for base in web_base_urls]
        self.process: subprocess.Popen | None = None

    def clients(self) -> list[dict]:
        return [
            {
                "client_id": WEB_CLIENT,
                "client_secret": WEB_SECRET,
                "redirect_uris": self.web_redirects,
                "token_endpoint_auth_method": "client_secret_basic",
            },
            {
                "client_id": APP_CLIENT,
                "application_type": "native",
                "redirect_uris": [APP_REDIRECT],
                "token_endpoint_auth_method": "none",
            },
            {
                "client_id": OTHER_CLIENT,
                "client_secret": OTHER_SECRET,
                "redirect_uris": self.web_redirects,
                "token_endpoint_auth_method": "client_secret_basic",
            },
        ]

    def start(self, *, key_id: str = "key-1", id_token_ttl: int = 3600) -> "ProviderProcess":
        env = {
            **os.environ,
            "PORT": str(self.port),
            "ISSUER": self.issuer,
            "KEY_ID": key_id,
            "ID_TOKEN_TTL": str(id_token_ttl),
            "CLIENTS": json.dumps(self.clients()),
            "ACCOUNTS": json.dumps(ACCOUNTS),
        }
        self.process = subprocess.Popen(
            ["node", str(SERVER)],
            cwd=HERE,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            self.stop()
            raise RuntimeError(f"the test provider did not start: {line!r}")
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def restart(self, **options) -> None:
        self.stop()
        self.start(**options)

    def config(self, **overrides) -> dict:
        """Our side's settings.OIDC_PROVIDERS entry for it."""
        return {
            "label": "Gemeente Utrecht",
            "issuer": self.issuer,
            "client_id": WEB_CLIENT,
            "client_secret": WEB_SECRET,
            "domains": ["utrecht.example"],
            "mfa_acr": ["mfa"],
            "app_client_ids": [APP_CLIENT],
            **overrides,
        }


def provider_login(authorize_url: str, *, account: str, mfa: bool, stop_at: str) -> str:
    """Follows the authorization request through the provider's login page as `account` (with
    a second factor or not); returns the redirect back to us (a URL starting with `stop_at`)."""
    session = requests.Session()
    url = authorize_url
    for _ in range(12):
        response = session.get(url, allow_redirects=False, timeout=5)
        if response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
            if url.startswith(stop_at):
                return url
            continue
        assert response.status_code == 200 and "/interaction/" in url, response.text[:300]
        form = {"login": account, **({"mfa": "1"} if mfa else {})}
        response = session.post(url, data=form, allow_redirects=False, timeout=5)
        assert response.status_code in (302, 303), response.text[:300]
        url = urljoin(url, response.headers["Location"])
        if url.startswith(stop_at):
            return url
    raise AssertionError("the provider never redirected back")


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def app_authorize(
    provider: ProviderProcess, *, account: str, mfa: bool, client_id: str = APP_CLIENT
) -> dict[str, str]:
    """What the app does at the provider: the code flow with PKCE; returns code, verifier,
    nonce and redirect URI as it would send them to POST /auth/oidc/exchange."""
    verifier, challenge = pkce_pair()
    nonce = secrets.token_urlsafe(16)
    redirect = APP_REDIRECT if client_id == APP_CLIENT else provider.web_redirects[0]
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect,
            "scope": "openid email",
            "state": "s",
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    back = provider_login(
        f"{provider.issuer}/auth?{query}", account=account, mfa=mfa, stop_at=redirect
    )
    code = parse_qs(urlparse(back).query)["code"][0]
    return {"code": code, "code_verifier": verifier, "nonce": nonce, "redirect_uri": redirect}


def id_token_for(
    provider: ProviderProcess, *, account: str, client_id: str, secret: str, mfa: bool = False
) -> tuple[str, str]:
    """A real ID token from the provider for a client (the app's public one, or another
    relying party's): (id_token, nonce)."""
    flow = app_authorize(provider, account=account, mfa=mfa, client_id=client_id)
    auth = (client_id, secret) if secret else None
    data = {
        "grant_type": "authorization_code",
        "code": flow["code"],
        "redirect_uri": flow["redirect_uri"],
        "code_verifier": flow["code_verifier"],
        **({} if secret else {"client_id": client_id}),
    }
    response = requests.post(f"{provider.issuer}/token", data=data, auth=auth, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()["id_token"], flow["nonce"]


def wait_until_down(provider: ProviderProcess) -> None:
    for _ in range(50):
        try:
            requests.get(provider.issuer, timeout=0.2)
        except requests.ConnectionError:
            return
        time.sleep(0.05)
