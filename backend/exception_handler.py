"""The one exception handler: every API error gets the same JSON shape.

{"code": "validation_error", "message": "De invoer is ongeldig.", "details": {...}}
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework_simplejwt.exceptions import InvalidToken

from backend.database_errors import database_error_answer, is_database_error
from backend.errors import CATALOGUE, DomainError, message_for
from backend.hooks import Hook

_DRF_CODES: list[tuple[type[exceptions.APIException], str]] = [
    (InvalidToken, "token_not_valid"),
    (exceptions.ValidationError, "validation_error"),
    (exceptions.ParseError, "malformed_request"),
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "authentication_failed"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
]


# 423: a restricted resident's data (AVG art. 18) refused to everyone but the audit.
_DENIAL_STATUSES = (403, 404, 423)


@dataclass(frozen=True)
class Denial:
    """An API request refused for lack of authentication, permission or visibility."""

    reason: str  # a catalogue code: not_authenticated, permission_denied, not_found, ...
    exc: Exception
    context: Mapping[str, Any]  # DRF's exception-handler context: request, view, args, kwargs


# The audit app subscribes and writes an access_denied row (audit.denials). Its subscriber
# never raises: a denial serves no data, and a failed log write must not mask the answer.
access_denied = Hook[Denial]("backend.access_denied")


def denial_reason(exc: Exception) -> str | None:
    """The reason code when `exc` is an authorisation denial worth logging, else None."""
    if isinstance(exc, DomainError):
        return exc.code if exc.status in _DENIAL_STATUSES else None
    if isinstance(exc, exceptions.NotAuthenticated):
        return "not_authenticated"
    if isinstance(exc, exceptions.PermissionDenied | DjangoPermissionDenied):
        return "permission_denied"
    # Selectors raise Model.DoesNotExist outside the caller's visibility; the handler makes it 404.
    if isinstance(exc, exceptions.NotFound | Http404 | ObjectDoesNotExist):
        return "not_found"
    return None


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


def handle_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    if is_database_error(exc):  # lost, restarting or too busy: 503, try again (docs/adr/0025)
        body, headers = database_error_answer(exc, None)
        return Response(body, status=503, headers=headers)
    # 401/403/404/423 denials go to the access log (the audit app subscribes).
    reason = denial_reason(exc)
    if reason is not None:
        access_denied.publish(Denial(reason=reason, exc=exc, context=context))
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message(), exc.details), status=exc.status)

    # Selectors raise Model.DoesNotExist for anything outside the caller's visibility: 404.
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    # Let DRF set WWW-Authenticate and Retry-After headers, then replace the body.
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's 500 handling and logging take over

    code = next((c for cls, c in _DRF_CODES if isinstance(exc, cls)), "server_error")
    if isinstance(exc, exceptions.AuthenticationFailed) and not isinstance(exc, InvalidToken):
        # An authentication class may name a catalogued reason (session_revoked, mfa_required)
        # the client can act on; anything else stays authentication_failed.
        specific = exc.get_codes()
        if isinstance(specific, str) and specific in CATALOGUE:
            code = specific
    details: dict[str, Any] = {}
    params: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        full = exc.get_full_details()
        details = {"fields": full if isinstance(full, dict) else {"non_field_errors": full}}
    elif isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait or 1)
        params["wait"] = wait
        details = {"retry_after": wait}
    response.data = error_body(code, message_for(code, **params), details)
    return response
