"""The one exception handler: every API error gets the same JSON shape.

{"code": "validation_error", "message": "De invoer is ongeldig.", "details": {...}}
"""

import math
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework_simplejwt.exceptions import InvalidToken

from backend.errors import CATALOGUE, DomainError, message_for

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


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


def handle_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    from privacy.denials import access_denied_record  # app models: import once apps are ready

    # 401/403/404 denials go to the access log; a failing write there never masks the denial.
    access_denied_record(exc=exc, context=context)
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
