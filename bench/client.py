"""The harness's own HTTP client: logging in as the app does, and intake bodies."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from django_otp.oath import TOTP  # the same TOTP the server checks (no Django needed)

USER_AGENT = "buurtsignaal-bench"


def _post(base_url: str, path: str, body: dict[str, Any], token: str = "") -> dict[str, Any]:
    headers = {"User-Agent": USER_AGENT, "Accept-Language": "en"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = requests.post(f"{base_url}{path}", json=body, headers=headers, timeout=30)
    if response.status_code >= 300:
        raise RuntimeError(f"POST {path}: {response.status_code} {response.text[:500]}")
    return response.json()


def login(base_url: str, email: str, password: str, totp_key_hex: str = "") -> str:
    """An access token through POST /auth/login (and /auth/mfa/verify with a TOTP code when
    the account needs a second factor)."""
    answer = _post(base_url, "/api/v1/auth/login", {"email": email, "password": password})
    if answer.get("mfa_required"):
        code = f"{TOTP(bytes.fromhex(totp_key_hex)).token():06d}"
        answer = _post(
            base_url, "/api/v1/auth/mfa/verify", {"mfa_token": answer["mfa_token"], "code": code}
        )
    return answer["access"]


def intake_body(manifest: dict[str, Any], address: list, client_uuid: str = "") -> dict[str, Any]:
    """A POST /api/v1/signals body as the app sends it."""
    text = manifest["consent_text"]
    return {
        "client_uuid": client_uuid or str(uuid.uuid4()),
        "resident": {
            "first_name": "Wilhelmina",
            "phone": "+31 6 12345678",
            "email": "wilhelmina@example.test",
        },
        "address": {"postcode": address[0], "house_number": address[1], "addition": ""},
        "preferred_language": "nl",
        "target_group": "elderly_at_home",
        "reasons": manifest["reason_codes"][:1],
        "observation": "Zit vaak alleen op het bankje bij de flat.",
        "urgency": "normal",
        "consent": {
            "given_by": "resident",
            "method": "verbal_in_person",
            "given_at": (datetime.now(UTC) - timedelta(minutes=3)).isoformat(),
            "purposes": {"team_contact": True, "share_with_initiative": False},
            "consent_text_id": text["id"],
            "consent_text_sha256": text["sha256"],
        },
    }


class Session:
    """A keep-alive session with one bearer token."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers.update(
            {"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT, "Accept-Language": "en"}
        )

    def get(self, path: str, **headers: str) -> requests.Response:
        return self.http.get(f"{self.base_url}{path}", headers=headers, timeout=30)

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return self.http.post(f"{self.base_url}{path}", json=body, timeout=30)
