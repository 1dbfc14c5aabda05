"""Under /api/ every error is JSON in the one shape, whatever raised it (docs/adr/0017).

DRF's exception handler covers errors inside API views. What happens around them did not: an
unknown path or a trailing slash got Django's HTML 404 page, and an unhandled exception an HTML
500 page (under DEBUG the technical page, with settings and local variables). This middleware
answers an unhandled exception in a view with `server_error` JSON after logging it with its
traceback, and rewrites any other error answer under /api/ that is not JSON (resolver 404s,
Django's 400/403/500 handlers, their DEBUG variants) into the same shape.

A client that names `application/problem+json` in its Accept header (at least as preferred as
`application/json`) gets every error as RFC 9457 problem details instead: the same members
`code`, `message` and `details`, plus `type`, `title`, `status` and `detail` (docs/adr/0043).
Without it the answer stays `application/json` as before, so existing clients keep working.
"""

import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware import common
from django.utils import translation

from backend.cache_control import API_PREFIX
from backend.errors import message_for
from backend.exception_handler import error_body

logger = logging.getLogger(__name__)

# The code for an error answer that arrives without one; other 4xx and 5xx fall back below.
CODE_FOR_STATUS = {
    400: "malformed_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    415: "unsupported_media_type",
}
_KEPT_HEADERS_SKIP = {"content-type", "content-length"}


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)


def api_error_response(request: HttpRequest, status: int) -> JsonResponse:
    code = CODE_FOR_STATUS.get(status) or ("server_error" if status >= 500 else "malformed_request")
    body = error_body(code, message_for(code, _language(request)))
    return JsonResponse(body, status=status)


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


PROBLEM_MEDIA_TYPE = "application/problem+json"
# No problem type URIs of our own: `code` says what went wrong, so `type` is RFC 9457's
# about:blank ("nothing beyond the status") and `title` the status phrase (docs/adr/0043).
PROBLEM_TYPE = "about:blank"


def wants_problem(request: HttpRequest) -> bool:
    """True when the Accept header names application/problem+json at least as preferred as
    application/json. A wildcard alone (`*/*`, `application/*`) keeps the default shape."""
    named = [
        media_type
        for media_type in request.accepted_types
        if (media_type.main_type, media_type.sub_type) == ("application", "problem+json")
    ]
    if not named:
        return False
    json_type = request.accepted_type("application/json")
    return max(t.quality for t in named) >= (json_type.quality if json_type else 0)


def problem_body(body: dict[str, Any], status: int) -> dict[str, Any]:
    """The error body as RFC 9457 problem details; ours stay as extension members."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return {
        "type": PROBLEM_TYPE,
        "title": title,
        "status": status,
        "detail": body["message"],
        **body,
    }


def as_problem(response: HttpResponse) -> HttpResponse:
    """The same error answer as application/problem+json, headers kept."""
    if response.streaming:  # not one of our error bodies
        return response
    try:
        body = json.loads(response.content)
    except ValueError:
        return response
    if not isinstance(body, dict) or not {"code", "message"} <= body.keys():
        return response
    replacement = JsonResponse(
        problem_body(body, response.status_code),
        status=response.status_code,
        content_type=PROBLEM_MEDIA_TYPE,
    )
    for header, value in response.items():
        if header.lower() not in _KEPT_HEADERS_SKIP:
            replacement[header] = value
    return replacement


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not _is_json(response)
        ):
            replacement = api_error_response(request, response.status_code)
            for header, value in response.items():  # Allow, Retry-After, WWW-Authenticate...
                if header.lower() not in _KEPT_HEADERS_SKIP:
                    replacement[header] = value
            response = replacement
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and _is_json(response)
            and wants_problem(request)
        ):
            response = as_problem(response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """An exception that left a view under /api/. DRF views only let through what their
        exception handler does not know, so that is a 500 unless Django gives it a status."""
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, Http404):
            return api_error_response(request, 404)
        if isinstance(exception, PermissionDenied):
            return api_error_response(request, 403)
        if isinstance(exception, SuspiciousOperation):
            return api_error_response(request, 400)
        match = getattr(request, "resolver_match", None)
        # The route pattern, not the path or query: no value a client sent goes into the log.
        logger.error(
            "unhandled exception in an API view",
            exc_info=(type(exception), exception, exception.__traceback__),
            extra={
                "method": request.method,
                "route": match.route if match else "",
                "view": match.view_name if match else "",
                "status_code": 500,
            },
        )
        got_request_exception.send(sender=None, request=request)
        return api_error_response(request, 500)


class CommonMiddleware(common.CommonMiddleware):
    """Django's, except that under /api/ only GET and HEAD are redirected to the URL with a
    slash (`/api/schema` to `/api/schema/`). A PUT or POST there is a 404: Django would redirect
    it without its body, or under DEBUG raise RuntimeError, a 500."""

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        if request.path.startswith(API_PREFIX) and request.method not in ("GET", "HEAD"):
            return False
        return super().should_redirect_with_slash(request)
