"""Setting one's own password with the one-time code from an admin (docs/adr/0016). Thin view
over accounts.services.credentials."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from backend.serializers import StrictSerializer
from backend.throttling import ScopedThrottle


class CredentialsSetApi(APIView):
    """Choose a password with the one-time code an admin handed over (after a credential reset
    or for a new account). The code works once. Then log in as usual; a role that needs a second
    factor links an authenticator app at that first login."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"

    class CredentialsSetInputSerializer(StrictSerializer):
        email = serializers.EmailField(max_length=254)
        code = serializers.CharField(max_length=64, help_text="e.g. `7K2QD-M9XRT-4VW8N-C3HJP`")
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    @extend_schema(request=CredentialsSetInputSerializer, responses={204: None}, auth=[])
    def post(self, request: Request) -> Response:
        data = self.CredentialsSetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.credentials_set(request=request._request, **data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
