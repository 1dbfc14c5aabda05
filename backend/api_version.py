"""The API's version, declared once (docs/adr/0043, docs/api-changelog.md).

`API_VERSION` is the full semantic version of the contract under /api/v1/: the `API-Version`
header of every answer under /api/ carries it, the OpenAPI document's `info.version` is it, and
docs/api-changelog.md has a section for it (a test checks both). Its major number is the one in
the path (`/api/v1/`): a change that breaks a client bumps it, or arrives next to the old
behaviour with a deprecation period (ADR 43).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from backend.cache_control import API_PREFIX

API_VERSION = "1.3.0"
API_MAJOR = API_VERSION.split(".", 1)[0]
VERSION_HEADER = "API-Version"


class ApiVersionMiddleware:
    """`API-Version: <API_VERSION>` on every answer under /api/, successes and errors alike
    (NL API Design Rules /core/version-header). Outermost but one, so the answers the other
    middleware make (errors, 503s) carry it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            response[VERSION_HEADER] = API_VERSION
        return response
