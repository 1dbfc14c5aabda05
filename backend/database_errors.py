"""A database that is gone, restarting or too busy is a 503 with `Retry-After`, on every route.

Django turns any exception into an HTML 500 (a JSON 500 under /api/, backend.api_errors), which
a client cannot tell from a bug. A lost connection, a refused connect, a statement or lock
timeout, a deadlock: each is django.db's OperationalError or InterfaceError, and each is worth
retrying a few seconds later. `DatabaseErrorMiddleware` answers them in the JSON error shape:

- raised in a view: its `process_exception` (DRF views: backend.exception_handler, same body);
- raised in a middleware below it (the session middleware saving a session, the user loaded for
  authentication): Django has already turned it into a 500 response there, so the
  `got_request_exception` receiver marks the request and the middleware swaps that response.

Codes: `database_unavailable` (connection lost or refused) and `database_busy` (statement or
lock timeout, deadlock, serialisation failure: the database answered, but not in time). Both
are 503: the client should try again, not change anything (docs/adr/0025).
"""

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from backend.errors import message_for

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# SQLSTATE classes of a database that answered but gave up or backed out: 57014
# query_canceled (statement_timeout), 55P03 lock_not_available (lock_timeout), 40P01 deadlock,
# 40001 serialisation failure.
_BUSY_STATES = {"57014", "55P03", "40P01", "40001"}
# 25P03: the server ended a session left idle in a transaction (an InternalError to psycopg).
_ENDED_STATES = {"25P03"}
_MARK = "_database_error"


def _sqlstate(exc: BaseException) -> str | None:
    return getattr(exc.__cause__, "sqlstate", None) or getattr(exc, "sqlstate", None)


def is_database_error(exc: BaseException | None) -> bool:
    if isinstance(exc, InternalError):
        return _sqlstate(exc) in _ENDED_STATES
    return isinstance(exc, DATABASE_ERRORS)


def database_error_code(exc: BaseException) -> str:
    """`database_busy` for a timeout or conflict, else `database_unavailable`."""
    return "database_busy" if _sqlstate(exc) in _BUSY_STATES else "database_unavailable"


def database_error_answer(exc: BaseException, language: str | None) -> tuple[dict[str, Any], dict]:
    """The error body and headers for a database error; logged once, without a traceback (the
    cause is outside this process and the message names it)."""
    code = database_error_code(exc)
    wait = settings.DATABASE_RETRY_AFTER_SECONDS
    logger.warning(
        "database error answered 503",
        # The class and SQLSTATE, not the message: a server message may quote values.
        extra={
            "code": code,
            "error": type(exc.__cause__ or exc).__name__,
            "sqlstate": _sqlstate(exc),
        },
    )
    body = {
        "code": code,
        "message": message_for(code, language, wait=wait),
        "details": {"retry_after": wait},
    }
    return body, {"Retry-After": str(wait)}


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)


def database_error_response(request: HttpRequest, exc: BaseException) -> JsonResponse:
    body, headers = database_error_answer(exc, _language(request))
    return JsonResponse(body, status=503, headers=headers)


def _remember(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    exc = sys.exc_info()[1]
    if request is not None and is_database_error(exc):
        setattr(request, _MARK, exc)


got_request_exception.connect(_remember, dispatch_uid="backend.database_errors.remember")


class DatabaseErrorMiddleware:
    """Near the top of MIDDLEWARE: everything below it that fails on the database answers 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        exc = getattr(request, _MARK, None)
        if exc is not None and response.status_code >= 500:
            return database_error_response(request, exc)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_error(exception):
            return database_error_response(request, exception)
        return None
