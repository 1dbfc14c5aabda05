"""The real URL configuration plus views that touch no database themselves but leave work for a
middleware that does: the session middleware saves what they wrote after they returned."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from backend.urls import urlpatterns as real_urlpatterns


def session_write(request: HttpRequest) -> HttpResponse:
    request.session["seen"] = True  # no cookie: nothing loaded; saved by SessionMiddleware
    return JsonResponse({"ok": True})


urlpatterns = [
    path("api/v1/test-session-write", session_write),
    path("test-session-page", session_write),
    *real_urlpatterns,
]
