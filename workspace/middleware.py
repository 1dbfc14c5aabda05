"""The workspace's response headers (docs/adr/0027).

A strict Content-Security-Policy on every page under /werkruimte/: only our own static files
(no inline script or style, no CDN), images also as data: URIs (the QR code), forms only to
ourselves, never in a frame. A small middleware rather than django-csp: one fixed policy for one
URL prefix, where django-csp would set a policy on the admin and the API docs too (Swagger UI
needs inline script)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PREFIX = "/werkruimte/"
POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)


class WorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(PREFIX):
            return response
        response["Content-Security-Policy"] = POLICY
        response["Referrer-Policy"] = "same-origin"
        response["X-Content-Type-Options"] = "nosniff"
        return response
