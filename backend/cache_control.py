"""No caching of API answers anywhere (browser, app HTTP cache, proxies): any of them may hold
a resident's personal data, and error bodies too are cheaper to treat alike than to sort."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

API_PREFIX = "/api/"
# Server-rendered pages with personal data (the team workspace, docs/adr/0027).
NO_STORE_PREFIXES = (API_PREFIX, "/werkruimte/")


class NoStoreApiMiddleware:
    """`Cache-Control: no-store` (with no-cache, max-age=0, private) and `Pragma: no-cache` for
    HTTP/1.0 caches on every response under /api/ and /werkruimte/, successful or not."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(NO_STORE_PREFIXES):
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response
