"""JWT authentication bound to a revocable login session."""

from typing import Any

from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.tokens import Token

from accounts.models import LoginSession, User

SESSION_CLAIM = "sid"


class SessionBoundJWTAuthentication(JWTAuthentication):
    """Accepts an access token only while its login session is live, so logout is immediate.

    One indexed query fetches the session and its user together.
    """

    def get_user(self, validated_token: Token) -> User:
        session_id = validated_token.get(SESSION_CLAIM)
        if not session_id:
            raise AuthenticationFailed("Token has no session.", code="token_not_valid")
        session: Any = (
            LoginSession.objects.select_related("user__organisation")
            .filter(pk=session_id, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if session is None or str(session.user_id) != str(validated_token.get("sub")):
            raise AuthenticationFailed("Session has ended.", code="session_revoked")
        user = session.user
        user.login_session_id = session.pk
        return user
