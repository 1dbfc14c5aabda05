"""A URL configuration with one guarded page, for tests/accounts/test_sessions.py: the guard on
its own, apart from the workspace's pages that use it."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from accounts.guards import verified_session_required


@verified_session_required
def function_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("resident data")


urlpatterns = [
    path("page", function_page),
]
