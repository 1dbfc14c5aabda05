"""Second-factor endpoints: the TOTP login step and enrolment. Thin views over
accounts.services.second_factor. Every response here carries secrets or tokens;
backend.cache_control marks them no-store."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import mfa, services
from accounts.api import TokenPairOutput
from accounts.authentication import SessionBoundJWTAuthentication
from accounts.models import User
from backend.schema import error_responses
from backend.serializers import StrictSerializer
from backend.throttling import ScopedThrottle

ENROLMENT_SCHEME = "MFA-Enrolment"


class EnrolmentTokenAuthentication(BaseAuthentication):
    """`Authorization: MFA-Enrolment <token>`: the restricted token a user who must enrol gets
    from the password step. Accepted by the enrolment endpoints only."""

    def authenticate(self, request: Request) -> tuple[User, str] | None:
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].decode(errors="replace") != ENROLMENT_SCHEME:
            return None
        token = parts[1].decode(errors="replace")
        return mfa.mfa_token_user(token=token, purpose=mfa.PURPOSE_ENROL), ENROLMENT_SCHEME

    def authenticate_header(self, request: Request) -> str:
        return ENROLMENT_SCHEME


class EnrolmentTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.mfa_api.EnrolmentTokenAuthentication"
    name = "mfaEnrolmentToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"`{ENROLMENT_SCHEME} <mfa_token>` from a login that answered "
            "enrolment_required.",
        }


class MfaVerifyApi(APIView):
    """Second login step: the mfa_token from /auth/login plus a TOTP code or a recovery code."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"

    class MfaVerifyInputSerializer(StrictSerializer):
        mfa_token = serializers.CharField(max_length=1024)
        code = serializers.CharField(max_length=32)

    @extend_schema(request=MfaVerifyInputSerializer, responses={200: TokenPairOutput}, auth=[])
    def post(self, request: Request) -> Response:
        data = self.MfaVerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = services.mfa_login_verify(request=request._request, **data.validated_data)
        return Response(TokenPairOutput(pair).data)


class _EnrolmentApi(APIView):
    authentication_classes = [SessionBoundJWTAuthentication, EnrolmentTokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"


def _with_access_token(request: Request) -> bool:
    """False for the first-login enrolment token, which comes straight from a password login."""
    return request.auth != ENROLMENT_SCHEME


class TotpEnrolmentBeginApi(_EnrolmentApi):
    """Start linking an authenticator app: returns the otpauth URI, its secret and a QR code.
    With an access token (replacing or adding a second factor later) send the password again,
    and a current code (or recovery code) when a second factor is linked already. The
    first-login enrolment token needs neither."""

    class TotpBeginInputSerializer(StrictSerializer):
        password = serializers.CharField(
            max_length=128,
            required=False,
            trim_whitespace=False,
            help_text="Required with an access token.",
        )
        code = serializers.CharField(
            max_length=32,
            required=False,
            allow_blank=True,
            help_text="Required when a second factor is linked already (a code from it), or "
            "after an administrator reset the second factor alone (the one-time code they "
            "handed over).",
        )

    class TotpBeginOutputSerializer(serializers.Serializer):
        otpauth_uri = serializers.CharField()
        secret = serializers.CharField()
        qr_svg_data_uri = serializers.CharField()

    @extend_schema(request=TotpBeginInputSerializer, responses={200: TotpBeginOutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.TotpBeginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = services.totp_enrolment_begin(
            request=request._request,
            user=request.user,
            with_access_token=_with_access_token(request),
            password=data.validated_data.get("password", ""),
            code=data.validated_data.get("code", ""),
        )
        return Response(self.TotpBeginOutputSerializer(enrolment).data)


class TotpEnrolmentConfirmApi(_EnrolmentApi):
    """Confirm the app with a code from it. Returns ten one-time recovery codes (shown once)
    and a new access/refresh pair: every earlier login session has ended, the one making this
    call too. With an access token send the password again."""

    class TotpConfirmInputSerializer(StrictSerializer):
        code = serializers.CharField(max_length=32)
        password = serializers.CharField(
            max_length=128,
            required=False,
            trim_whitespace=False,
            help_text="Required with an access token.",
        )

    class TotpConfirmOutputSerializer(serializers.Serializer):
        recovery_codes = serializers.ListField(child=serializers.CharField())
        tokens = TokenPairOutput()

    @extend_schema(
        request=TotpConfirmInputSerializer,
        responses={200: TotpConfirmOutputSerializer, **error_responses(409)},  # not started
    )
    def post(self, request: Request) -> Response:
        data = self.TotpConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        confirmation = services.totp_enrolment_confirm(
            request=request._request,
            user=request.user,
            code=data.validated_data["code"],
            with_access_token=_with_access_token(request),
            password=data.validated_data.get("password", ""),
        )
        return Response(self.TotpConfirmOutputSerializer(confirmation).data)
