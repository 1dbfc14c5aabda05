"""A URLconf for denial tests: views that refuse in each way the exception handler logs."""

from django.http import Http404
from django.urls import path
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.errors import DomainError


class HiddenObjectApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request, pk: str) -> Response:
        raise Http404  # as a selector does for an object outside the user's visibility


class ForbiddenApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise PermissionDenied


class DomainRefusalApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise DomainError("permission_denied")


class ValidationApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise DomainError("validation_error")


class NeedsLoginApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({})


urlpatterns = [
    path("hidden/<str:pk>", HiddenObjectApi.as_view(), name="test-hidden"),
    path("forbidden", ForbiddenApi.as_view(), name="test-forbidden"),
    path("domain", DomainRefusalApi.as_view(), name="test-domain"),
    path("invalid", ValidationApi.as_view(), name="test-invalid"),
    path("needs-login", NeedsLoginApi.as_view(), name="test-needs-login"),
]
