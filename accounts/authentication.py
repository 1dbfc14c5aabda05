"""The two ways a request authenticates: a JWT bound to a revocable login session (the app), and
a Django session whose second factor is verified (the admin, the coming team web workspace).
Nothing else: DRF's own SessionAuthentication and its password-only login are not mounted
(docs/adr/0015-sessions-and-second-factor-on-every-path.md)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.tokens import Token

from accounts.mfa import role_requires_mfa
from accounts.models import LoginSession, User
from accounts.session_cache import cached_session, session_cache_fill

SESSION_CLAIM = "sid"
AMR_CLAIM = "amr"  # how the session was authenticated (RFC 8176): ["pwd"] or ["pwd", "otp"]


def credential_fingerprint(user: User) -> str:
    """What a login session remembers of the user's credentials (password hash and
    credential_epoch, see User._get_session_auth_hash)."""
    return user.get_session_auth_hash()


def login_session_oldest_start() -> Any:
    """Sessions opened before this have outlived LOGIN_SESSION_MAX_DAYS, however often they
    were refreshed."""
    return timezone.now() - timedelta(days=settings.LOGIN_SESSION_MAX_DAYS)


def login_session_is_current(session: LoginSession) -> bool:
    """Live, within its absolute lifetime, its user active and its credentials unchanged."""
    return (
        session.revoked_at is None
        and session.user.is_active
        and session.created_at > login_session_oldest_start()
        and constant_time_compare(session.credential_hash, credential_fingerprint(session.user))
    )


def has_second_factor(token: Token) -> bool:
    amr = token.get(AMR_CLAIM) or []
    return "otp" in amr or "mfa" in amr  # "mfa": the provider's own (docs/adr/0046)


class SessionBoundJWTAuthentication(JWTAuthentication):
    """Accepts an access token only while its login session is current (live, younger than
    LOGIN_SESSION_MAX_DAYS, credentials unchanged since login, user active), so logout and every
    credential change take effect at once. A token with only a password factor is refused
    (`mfa_required`) as soon as the user's roles need a second factor.

    The session's validity comes from Redis when it is cached under the user's current
    generation (accounts.session_cache: one round trip, no database); otherwise one indexed
    query fetches the session and its user together and the result is cached. Every way a
    session ends renews the generation, so revocation stays immediate; without Redis the
    database answers every request (docs/adr/0047). The role check of a password-only token
    fills the permission cache the view's capability check reuses. Refusals
    carry a catalogued code (session_revoked, mfa_required) that the error body keeps.
    """

    def authenticate(self, request: Request) -> tuple[User, Token] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if not has_second_factor(token) and role_requires_mfa(user=user):
            # e.g. a field worker added to a team since this login
            raise AuthenticationFailed("A second factor is required.", code="mfa_required")
        return user, token

    def get_user(self, validated_token: Token) -> User:
        session_id = validated_token.get(SESSION_CLAIM)
        if not session_id:
            raise AuthenticationFailed("Token has no session.", code="token_not_valid")
        user_id = validated_token.get("sub")
        entry, generation = cached_session(session_id=session_id, user_id=user_id)
        if entry is not None and str(entry.user.pk) == str(user_id):
            if entry.created_at <= login_session_oldest_start():
                raise AuthenticationFailed("Session has ended.", code="session_revoked")
            user = entry.user
            user.login_session_id = entry.session_id
            return user
        session: Any = (
            LoginSession.objects.select_related("user__organisation")
            .filter(pk=session_id, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if (
            session is None
            or str(session.user_id) != str(validated_token.get("sub"))
            or not login_session_is_current(session)
        ):
            raise AuthenticationFailed("Session has ended.", code="session_revoked")
        user = session.user
        if generation is not None:
            session_cache_fill(
                session_id=session.pk,
                generation=generation,
                user=user,
                created_at=session.created_at,
            )
        user.login_session_id = session.pk
        return user


class VerifiedSessionAuthentication(SessionAuthentication):
    """A Django session counts only when its second factor is verified in this session
    (django-otp's OTPMiddleware sets `user.is_verified()`); a password-only session is treated
    as anonymous. CSRF is enforced as by DRF's SessionAuthentication.

    Django itself ends the session when the user is deactivated or the credential fingerprint
    changes (User._get_session_auth_hash), and django-otp when the device is removed."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        user = getattr(request._request, "user", None)
        if not user or not user.is_active or not session_is_verified(user):
            return None
        self.enforce_csrf(request)
        return user, None


def session_is_verified(user: Any) -> bool:
    """True for an authenticated session user whose second factor django-otp verified."""
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and callable(is_verified) and is_verified())
