"""Login sessions and their tokens: opening a session, rotating its refresh token, logging
out, and ending every session of a user when their credentials or access change."""

import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.authentication import (
    AMR_CLAIM,
    SESSION_CLAIM,
    credential_fingerprint,
    login_session_is_current,
)
from accounts.hooks import LoginSessionsEnded, login_sessions_ended
from accounts.mfa import user_requires_mfa
from accounts.models import LoginSession, User
from accounts.session_cache import session_cache_invalidate
from backend.errors import DomainError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    session_id: str


def _issue_tokens(*, session: LoginSession, amr: list[str]) -> TokenPair:
    refresh = RefreshToken.for_user(session.user)
    refresh[SESSION_CLAIM] = str(session.pk)
    refresh[AMR_CLAIM] = amr
    # No token outlives its session's absolute end (the check itself is per request).
    session_end = session.created_at + timedelta(days=settings.LOGIN_SESSION_MAX_DAYS)
    cap = int(session_end.timestamp())
    refresh["exp"] = min(refresh["exp"], cap)
    access = refresh.access_token
    access["exp"] = min(access["exp"], cap)
    return TokenPair(access=str(access), refresh=str(refresh), session_id=str(session.pk))


def login_session_open(
    *, user: User, user_agent: str = "", amr: list[str] | None = None
) -> TokenPair:
    """Opens a login session for an already authenticated user and issues its tokens. Writes no
    login row: call login_complete (test fixtures and benchmarks call this directly).

    Side effects: a LoginSession row; an OutstandingToken row for the refresh token."""
    session = LoginSession.objects.create(
        user=user, user_agent=user_agent[:255], credential_hash=credential_fingerprint(user)
    )
    return _issue_tokens(session=session, amr=amr or ["pwd"])


def token_refresh(*, refresh: str) -> TokenPair:
    """Rotates a refresh token: the old one is blacklisted, a new pair is issued on the same
    session. Presenting an already-rotated token is treated as theft: the session is revoked.
    A session past LOGIN_SESSION_MAX_DAYS, or whose user's credentials changed, is refused.

    Side effects: BlacklistedToken for the old token; LoginSession.last_refreshed_at or, on
    reuse, LoginSession.revoked_at."""
    try:
        unverified = RefreshToken(refresh, verify=False)
        session_id = unverified.get(SESSION_CLAIM)
        jti = unverified.get("jti")
        amr = list(unverified.get(AMR_CLAIM) or ["pwd"])
    except TokenError as exc:
        raise DomainError("token_not_valid") from exc
    with transaction.atomic():
        session = (
            LoginSession.objects.select_for_update()
            .select_related("user")
            .filter(pk=session_id)
            .first()
        )
        if session is None or not login_session_is_current(session):
            raise DomainError("session_revoked")
        try:
            token = RefreshToken(refresh)  # verifies signature, expiry and blacklist
        except TokenError:
            token = None
        if token is None:
            reused = BlacklistedToken.objects.filter(token__jti=jti).exists()
            if reused:
                _revoke(session, reason="refresh_reuse")
                logger.warning(
                    "refresh token reuse; session revoked", extra={"session_id": str(session.pk)}
                )
        else:
            if "otp" not in amr and user_requires_mfa(user=session.user):
                raise DomainError("mfa_required")  # e.g. a role gained since this login
            token.blacklist()
            session.last_refreshed_at = timezone.now()
            session.save(update_fields=["last_refreshed_at"])
            pair = _issue_tokens(session=session, amr=amr)
    if token is None:
        raise DomainError("token_not_valid")
    return pair


def _revoke(session: LoginSession, *, reason: str) -> None:
    session.revoked_at = timezone.now()
    session.revoked_reason = reason
    session.save(update_fields=["revoked_at", "revoked_reason"])
    session_cache_invalidate(user_id=session.user_id)


def logout(*, user: User, session_id: str | None, refresh: str | None = None) -> None:
    """Revokes the current login session: its access and refresh tokens stop working at once.
    Without a login session (a caller authenticated by a Django session) nothing would end, so
    that is refused (`logout_not_a_login_session`) rather than answered as done: a Django
    session ends at its own site's logout (docs/adr/0015).

    Side effects: LoginSession.revoked_at; the user's cached sessions dropped
    (accounts.session_cache); the refresh token (if given) blacklisted;
    accounts.hooks.login_sessions_ended published (notifications: the devices registered in
    this session get no more pushes)."""
    if not session_id:
        raise DomainError("logout_not_a_login_session")
    with transaction.atomic():
        session = (
            LoginSession.objects.select_for_update()
            .filter(pk=session_id, user=user, revoked_at__isnull=True)
            .first()
        )
        if session is not None:
            _revoke(session, reason="logout")
            login_sessions_ended.publish(
                LoginSessionsEnded(user=user, reason="logout", login_session_id=session.pk)
            )
        if refresh:
            with contextlib.suppress(TokenError):  # already invalid: nothing left to revoke
                RefreshToken(refresh).blacklist()


def login_sessions_end(*, user: User, reason: str) -> int:
    """Ends every login session and Django session of `user`: raises credential_epoch (so
    sessions fail their fingerprint check on the next request, whichever path changed the
    credentials) and revokes the live LoginSession rows explicitly. Returns how many.

    Side effects: User.credential_epoch; LoginSession.revoked_at (reason); the user's cached
    sessions dropped (accounts.session_cache);
    accounts.hooks.login_sessions_ended published (notifications: the user's push devices
    deactivated, their sessions ended)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(credential_epoch=F("credential_epoch") + 1)
        user.refresh_from_db(fields=["credential_epoch"])
        ended = LoginSession.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason[:32]
        )
        session_cache_invalidate(user_id=user.pk)
        login_sessions_ended.publish(LoginSessionsEnded(user=user, reason=reason))
    return ended
