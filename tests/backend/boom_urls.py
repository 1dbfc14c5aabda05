"""The real URL configuration plus views that fail the way a bug would, to prove what the
client then gets (tests/backend/test_api_errors.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from backend.urls import urlpatterns as real_urlpatterns

SECRET_IN_LOCALS = "kanarie-uit-de-stacktrace"


class BoomApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get(self, request: Request) -> None:
        leaked = SECRET_IN_LOCALS  # a technical 500 page would show this local variable
        raise RuntimeError(f"a bug ({len(leaked)})")


def plain_boom(request: HttpRequest) -> HttpResponse:
    raise ZeroDivisionError("a bug in a plain Django view")


urlpatterns = [
    path("api/v1/test-boom", BoomApi.as_view()),
    path("api/v1/test-plain-boom", plain_boom),
    *real_urlpatterns,
]
