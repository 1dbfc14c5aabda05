"""The Prometheus scrape endpoint, behind a bearer token (docs/adr/0045)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_safe

from backend.errors import message_for
from operations.metrics import CONTENT_TYPE, render


def _token_matches(request: HttpRequest, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and constant_time_compare(given.strip(), token)


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """The metrics in the Prometheus text format for a scraper holding METRICS_TOKEN; 401 in
    the error shape for anyone else, 404 while no token is configured (the endpoint is off).
    Counts and ages only: nobody's data, so no access-log row."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    if not _token_matches(request, token):
        language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
        body = {
            "code": "metrics_token_required",
            "message": message_for("metrics_token_required", language),
            "details": {},
        }
        return JsonResponse(
            body,
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store"},
        )
    return HttpResponse(render(), content_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})
