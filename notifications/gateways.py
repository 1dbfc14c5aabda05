"""Push gateways: FCM through firebase-admin, and a console gateway for the demo and tests.

A gateway sends a batch and answers one PushResult per push, in order. It never raises for a
provider answer: the delivery service decides from the outcome what happens to the row.
"""

import functools
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any, Protocol

import firebase_admin
import requests.adapters
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from firebase_admin import credentials, exceptions, messaging
from firebase_admin._messaging_encoder import MessageEncoder
from google.auth import exceptions as auth_exceptions
from urllib3.util.retry import Retry

logger = logging.getLogger(__name__)

FCM_ORIGIN = "https://fcm.googleapis.com"
FCM_BATCH_SIZE = 500  # the most send_each accepts
FCM_HTTP_TIMEOUT_SECONDS = 10


class PushOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # transient: try again later
    DEAD = "dead"  # the token will never work again: deactivate the device
    FAILED = "failed"  # our configuration or message is wrong: an operator must act


@dataclass(frozen=True)
class OutgoingPush:
    notification_id: int
    message: messaging.Message


@dataclass(frozen=True)
class PushResult:
    outcome: PushOutcome
    message_id: str = ""
    error_code: str = ""
    retry_after: float | None = None  # seconds, from the provider's Retry-After


class PushGateway(Protocol):
    def send(self, pushes: Sequence[OutgoingPush]) -> list[PushResult]: ...


def loggable_payload(message: messaging.Message) -> dict[str, Any]:
    """The message as FCM would receive it, without its address (token or installation id:
    device identifiers). Uses firebase-admin's own encoder, so the demo validates what FCM
    would."""
    payload = MessageEncoder().default(message)
    payload.pop("token", None)
    payload.pop("fid", None)
    return payload


class ConsoleGateway:
    """Logs each payload instead of sending it. Every push counts as sent."""

    def send(self, pushes: Sequence[OutgoingPush]) -> list[PushResult]:
        results = []
        for push in pushes:
            payload = loggable_payload(push.message)
            # In the message too: the demo's text log format shows no extra fields.
            logger.info(
                "push (console gateway) notification %s: %s",
                push.notification_id,
                json.dumps(payload, sort_keys=True),
                extra={"notification_id": push.notification_id, "payload": payload},
            )
            results.append(PushResult(PushOutcome.SENT, message_id=f"console/{uuid.uuid4()}"))
        return results


class FcmGateway:
    """Firebase Cloud Messaging (HTTP v1) through firebase-admin's `send_each`."""

    def __init__(self, *, credentials_file: str, timeout: float = FCM_HTTP_TIMEOUT_SECONDS):
        self._credentials_file = credentials_file
        self._timeout = timeout
        self._app: firebase_admin.App | None = None

    def _firebase_app(self) -> firebase_admin.App:
        if self._app is None:
            certificate = credentials.Certificate(self._credentials_file)
            app = firebase_admin.initialize_app(
                certificate,
                {"httpTimeout": self._timeout},
                name=f"buurtsignaal-{uuid.uuid4().hex}",
            )
            _limit_in_band_retries(app)
            self._app = app
        return self._app

    def send(self, pushes: Sequence[OutgoingPush]) -> list[PushResult]:
        if not pushes:
            return []
        try:
            app = self._firebase_app()
        except (OSError, ValueError) as exc:  # missing, unreadable or malformed key file
            logger.error(
                "push credentials cannot be loaded; notifications marked failed",
                extra={"error": type(exc).__name__, "count": len(pushes)},
            )
            return [PushResult(PushOutcome.FAILED, error_code="credentials_unusable")] * len(pushes)

        results: list[PushResult] = []
        for start in range(0, len(pushes), FCM_BATCH_SIZE):
            chunk = pushes[start : start + FCM_BATCH_SIZE]
            try:
                batch = messaging.send_each([push.message for push in chunk], app=app)
            except exceptions.FirebaseError as exc:  # the batch as a whole failed
                results.extend([classify_error(exc)] * len(chunk))
                continue
            for response in batch.responses:
                if response.success:
                    results.append(PushResult(PushOutcome.SENT, message_id=response.message_id))
                else:
                    results.append(classify_error(response.exception))
        _log_operator_errors(results)
        return results

    def close(self) -> None:
        if self._app is not None:
            firebase_admin.delete_app(self._app)
            self._app = None


def _limit_in_band_retries(app: firebase_admin.App) -> None:
    """firebase-admin retries inside `send_each`: a read timeout once (the push may well have
    been delivered: a second copy by construction) and 500/503 up to four times, sleeping for
    whatever Retry-After the provider asks, without a ceiling (a send task must end well within
    the broker's 45 s visibility timeout, ADR 0019). Our retries are scheduled per row instead
    (attempts recorded, back-off with jitter), so only a failed connect (nothing sent yet) is
    retried here. firebase-admin has no public option for this, so this reaches into the
    messaging service's session (docs/adr/0023): firebase-admin is pinned and
    tests/notifications/test_fcm_contract.py checks a 503 and a timed-out push reach FCM once."""
    session = messaging._get_messaging_service(app)._client.session
    retry = Retry(
        total=1,
        connect=1,
        read=0,
        status=0,
        other=0,
        redirect=0,
        respect_retry_after_header=False,
        raise_on_status=False,
    )
    session.mount(
        FCM_ORIGIN,
        requests.adapters.HTTPAdapter(pool_connections=10, pool_maxsize=100, max_retries=retry),
    )


# Ordered: the FCM-specific exceptions subclass the generic platform ones.
_DEAD: list[tuple[type[Exception], str]] = [
    (messaging.UnregisteredError, "unregistered"),
    (messaging.SenderIdMismatchError, "sender_id_mismatch"),
]
_RETRY: list[tuple[type[Exception], str]] = [
    (messaging.QuotaExceededError, "quota_exceeded"),
    (exceptions.ResourceExhaustedError, "resource_exhausted"),
    (exceptions.UnavailableError, "unavailable"),
    (exceptions.InternalError, "internal"),
    (exceptions.DeadlineExceededError, "deadline_exceeded"),
]
_CONFIG: list[tuple[type[Exception], str]] = [
    (messaging.ThirdPartyAuthError, "third_party_auth_error"),
    (exceptions.PermissionDeniedError, "permission_denied"),
    (exceptions.UnauthenticatedError, "unauthenticated"),
]
# Codes that need an operator (credentials, APNs key, project permissions, our own payload).
OPERATOR_CODES = frozenset(
    [code for _, code in _CONFIG]
    + ["credentials_rejected", "credentials_unusable", "invalid_argument", "unknown"]
)


def classify_error(exc: Exception | None) -> PushResult:
    """Maps a firebase-admin exception to what the delivery service should do."""
    for exc_type, code in _DEAD:
        if isinstance(exc, exc_type):
            return PushResult(PushOutcome.DEAD, error_code=code)
    if isinstance(exc, exceptions.InvalidArgumentError):
        if _is_about_the_token(exc):
            return PushResult(PushOutcome.DEAD, error_code="invalid_token")
        return PushResult(PushOutcome.FAILED, error_code="invalid_argument")
    for exc_type, code in _RETRY:
        if isinstance(exc, exc_type):
            return PushResult(PushOutcome.RETRY, error_code=code, retry_after=_retry_after(exc))
    for exc_type, code in _CONFIG:
        if isinstance(exc, exc_type):
            return PushResult(PushOutcome.FAILED, error_code=code)
    cause = getattr(exc, "cause", None)
    # The OAuth token exchange fails outside the per-message error handling of send_each.
    if isinstance(cause, auth_exceptions.RefreshError):
        if getattr(cause, "retryable", False):
            return PushResult(PushOutcome.RETRY, error_code="token_endpoint_unavailable")
        return PushResult(PushOutcome.FAILED, error_code="credentials_rejected")
    if isinstance(cause, auth_exceptions.TransportError | requests.RequestException):
        return PushResult(PushOutcome.RETRY, error_code="transport_error")
    return PushResult(PushOutcome.FAILED, error_code="unknown")


def _is_about_the_token(exc: exceptions.FirebaseError) -> bool:
    """INVALID_ARGUMENT covers both a malformed address (token or FID) and a malformed message;
    only the first is the device's fault. FCM names the field in a google.rpc.BadRequest
    detail."""
    body = _error_body(exc)
    for detail in body.get("error", {}).get("details", []):
        for violation in detail.get("fieldViolations", []) or []:
            if violation.get("field") in ("message.token", "message.fid"):
                return True
    return "registration token" in str(body.get("error", {}).get("message", "")).lower()


def _error_body(exc: exceptions.FirebaseError) -> dict[str, Any]:
    response = exc.http_response
    if response is None:
        return {}
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(exc: exceptions.FirebaseError) -> float | None:
    response = exc.http_response
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _log_operator_errors(results: list[PushResult]) -> None:
    counts: dict[str, int] = {}
    for result in results:
        if result.outcome == PushOutcome.FAILED and result.error_code in OPERATOR_CODES:
            counts[result.error_code] = counts.get(result.error_code, 0) + 1
    for code, count in counts.items():
        # Not retried: a wrong key or project setting will not fix itself within minutes.
        logger.error(
            "FCM refused our credentials, configuration or message; notifications marked "
            "failed, not retried",
            extra={"error_code": code, "count": count},
        )


@functools.cache
def push_gateway() -> PushGateway:
    """The gateway chosen by settings.PUSH_GATEWAY, one per process."""
    choice = settings.PUSH_GATEWAY
    if choice == "fcm":
        return FcmGateway(credentials_file=settings.FIREBASE_CREDENTIALS_FILE)
    if choice == "console":
        return ConsoleGateway()
    raise ImproperlyConfigured(f"PUSH_GATEWAY must be 'fcm' or 'console', not {choice!r}")
