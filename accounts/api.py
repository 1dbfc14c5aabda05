"""Auth and profile endpoints: thin views over accounts.services and accounts.selectors."""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.mfa import MfaChallenge
from backend.schema import error_responses
from backend.serializers import StrictSerializer
from backend.throttling import ScopedThrottle


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class MfaChallengeOutput(serializers.Serializer):
    mfa_required = serializers.BooleanField()
    enrolment_required = serializers.BooleanField(
        help_text="True: link an authenticator app first (POST /auth/mfa/totp with "
        "`Authorization: MFA-Enrolment <mfa_token>`); false: POST /auth/mfa/verify."
    )
    mfa_token = serializers.CharField()


def _pair_response(pair: services.TokenPair) -> Response:
    # No caching of tokens: backend.cache_control marks every /api/ response no-store.
    return Response(TokenPairOutput({"access": pair.access, "refresh": pair.refresh}).data)


def _login_response(result: services.TokenPair | MfaChallenge) -> Response:
    if not isinstance(result, MfaChallenge):
        return _pair_response(result)
    return Response(MfaChallengeOutput({"mfa_required": True, **vars(result)}).data)


class LoginApi(APIView):
    """Log in with email and password; returns a short-lived access and a rotating refresh token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"

    class LoginInputSerializer(StrictSerializer):
        email = serializers.EmailField(max_length=254)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    @extend_schema(
        request=LoginInputSerializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="LoginResult",
                serializers=[TokenPairOutput, MfaChallengeOutput],
                resource_type_field_name=None,
            )
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = self.LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _login_response(services.login(request=request._request, **data.validated_data))


class OidcExchangeApi(APIView):
    """Sign in with the organisation's OpenID Provider: its authorization code for our tokens.

    The app's sign-in (docs/adr/0046): after the
    authorization code flow with PKCE at the provider, the app hands over the code, its
    verifier, the redirect URI and the nonce it used; the server exchanges the code, checks the
    ID token and answers as POST /auth/login does: a token pair, or the local second-factor
    step when the provider showed none and the role needs one."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"

    class OidcExchangeInputSerializer(StrictSerializer):
        provider = serializers.CharField(max_length=64)
        code = serializers.CharField(max_length=2048)
        code_verifier = serializers.CharField(min_length=43, max_length=128)
        redirect_uri = serializers.CharField(max_length=2048)
        nonce = serializers.CharField(max_length=256)
        client_id = serializers.CharField(
            max_length=255, help_text="The app's client id at the provider (app_client_ids)."
        )

    @extend_schema(
        request=OidcExchangeInputSerializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="OidcLoginResult",
                serializers=[TokenPairOutput, MfaChallengeOutput],
                resource_type_field_name=None,
            ),
            **error_responses(400, 401, 403, 429, 503),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = self.OidcExchangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.oidc_login(request=request._request, **data.validated_data)
        return _login_response(result)


class RefreshApi(APIView):
    """Exchange a refresh token for a new pair. The old refresh token stops working."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "refresh"

    class RefreshInputSerializer(StrictSerializer):
        refresh = serializers.CharField(max_length=2048)

    @extend_schema(request=RefreshInputSerializer, responses={200: TokenPairOutput}, auth=[])
    def post(self, request: Request) -> Response:
        data = self.RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _pair_response(services.token_refresh(refresh=data.validated_data["refresh"]))


class LogoutApi(APIView):
    """End this login session; its access and refresh tokens are refused from now on.

    For app login sessions (tokens) only: a caller authenticated by a Django session gets 400
    `logout_not_a_login_session` (nothing is ended here; the session's own site logs it out)."""

    permission_classes = [IsAuthenticated]

    class LogoutInputSerializer(StrictSerializer):
        refresh = serializers.CharField(max_length=2048, required=False)

    @extend_schema(request=LogoutInputSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        data = self.LogoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.logout(
            user=request.user,
            session_id=getattr(request.user, "login_session_id", None),
            refresh=data.validated_data.get("refresh"),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """The logged-in user with roles and teams."""

    permission_classes = [IsAuthenticated]

    class MeOutputSerializer(serializers.Serializer):
        id = serializers.UUIDField()
        email = serializers.EmailField()
        full_name = serializers.CharField()
        language = serializers.CharField()
        organisation = inline_serializer(
            "MeOrganisation",
            fields={
                "id": serializers.UUIDField(),
                "name": serializers.CharField(),
                "kind": serializers.CharField(),
            },
            allow_null=True,
        )
        roles = serializers.ListField(child=serializers.CharField())
        teams = inline_serializer(
            "MeTeam",
            fields={
                "id": serializers.UUIDField(),
                "name": serializers.CharField(),
                "role": serializers.CharField(),
            },
            many=True,
        )

    @extend_schema(responses={200: MeOutputSerializer})
    def get(self, request: Request) -> Response:
        user = selectors.user_with_profile(user=request.user)
        org = user.organisation
        body = {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "organisation": ({"id": org.id, "name": org.name, "kind": org.kind} if org else None),
            "roles": selectors.user_roles(user=user),
            "teams": [
                {"id": m.team.id, "name": m.team.name, "role": m.role}
                for m in user.memberships.all()
            ],
        }
        return Response(self.MeOutputSerializer(body).data)
