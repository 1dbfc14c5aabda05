"""A URL configuration with one guarded page of each kind, for tests/accounts/test_sessions.py:
there are no server-rendered workspace pages yet (issue 13)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views import View

from accounts.guards import VerifiedSessionRequiredMixin, verified_session_required


@verified_session_required
def function_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("resident data")


class ClassPage(VerifiedSessionRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("resident data")


urlpatterns = [
    path("page", function_page),
    path("class-page", ClassPage.as_view()),
]
