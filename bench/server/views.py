"""The baseline of every request measure: the framework's own cost of an authenticated call."""

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class BareApi(APIView):
    """Authenticates with the project's default classes (a session-bound JWT: one query for the
    login session and its user) and IsAuthenticated, then answers at once. No throttle, no
    access log, no other query. POST parses the JSON body first, so a POST of the intake body
    costs what DRF's parsing of that body costs."""

    def get(self, request: Request) -> Response:
        return Response({"ok": True})

    def post(self, request: Request) -> Response:
        return Response({"ok": True, "keys": len(request.data)}, status=status.HTTP_201_CREATED)
