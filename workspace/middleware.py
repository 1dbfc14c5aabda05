"""The workspace's response headers (docs/adr/0027).

A strict Content-Security-Policy on every page under /werkruimte/: only our own static files
(no inline script or style, no CDN), images also as data: URIs (the QR code), forms only to
ourselves, never in a frame. A small middleware rather than django-csp: one fixed policy for one
URL prefix, where django-csp would set a policy on the admin and the API docs too (Swagger UI
needs inline script)."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PREFIX = "/werkruimte/"
LOGIN_PREFIX = "/werkruimte/inloggen/"
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


def login_policy() -> str:
    """The login pages' policy: their forms may also lead to the organisations' providers (the
    sign-in form's answer redirects there, which form-action governs; docs/adr/0046)."""
    origins = sorted(
        {
            "{0.scheme}://{0.netloc}".format(urlsplit(str(raw.get("issuer", ""))))
            for raw in settings.OIDC_PROVIDERS.values()
            if str(raw.get("issuer", "")).startswith(("https://", "http://"))
        }
    )
    if not origins:
        return POLICY
    return POLICY.replace("form-action 'self'", " ".join(["form-action 'self'", *origins]))


class WorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(PREFIX):
            return response
        login = request.path.startswith(LOGIN_PREFIX)
        response["Content-Security-Policy"] = login_policy() if login else POLICY
        response["Referrer-Policy"] = "same-origin"
        response["X-Content-Type-Options"] = "nosniff"
        return response
