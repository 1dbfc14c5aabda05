"""Writes for accounts: logins, login sessions and tokens, activation. Memberships and roles
are in accounts.membership_services, credential resets in accounts.credential_services."""

import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.account_log import (
    access_log_login,
    access_log_login_failed,
    account_change_record,
    actor_rule,
)
from accounts.authentication import (
    AMR_CLAIM,
    SESSION_CLAIM,
    credential_fingerprint,
    login_session_is_current,
)
from accounts.emails import normalise_email
from accounts.hooks import LoginSessionsEnded, login_sessions_ended
from accounts.mfa import MfaChallenge, login_challenge, user_requires_mfa
from accounts.models import LoginSession, User
from audit.context import AccessContext
from audit.models import Action
from backend.errors import DomainError

logger = logging.getLogger(__name__)

CHANGE_USER = "accounts.change_user"


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    session_id: str


def login_username_from_credentials(request: HttpRequest, credentials: dict[str, Any]) -> str:
    """Axes: the login name is the email, whether it came from the API or the admin form."""
    value = credentials.get("email") or credentials.get("username") or ""
    return normalise_email(str(value))


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


def login(*, request: HttpRequest, email: str, password: str) -> TokenPair | MfaChallenge:
    """Checks credentials (through django-axes, which counts failures and locks out). Users who
    need a second factor get an MfaChallenge (accounts.mfa); others a token pair at once.

    Side effects: as login_complete; a refused login writes an access log row (login_failed)."""
    user = authenticate(request=request, email=email, password=password)
    if user is None:
        locked = getattr(request, "axes_locked_out", False)
        reason = "login_locked" if locked else "invalid_credentials"
        access_log_login_failed(
            context=AccessContext.from_request(request, user=AnonymousUser()),
            attempted_login=email,
            reason=reason,
        )
        raise DomainError(reason)
    challenge = login_challenge(user=user)
    if challenge is not None:
        return challenge
    return login_complete(request=request, user=user, method="password")


def password_reverify(*, request: HttpRequest, user: User, password: str) -> None:
    """Asks a logged-in user for their password again before a sensitive change, so a stolen
    access token alone cannot make it. Goes through django-axes like a login: wrong passwords
    count towards the lockout, and a locked account is refused.

    Side effects on a refusal: an axes failure record; an access log row (login_failed). A
    missing password is refused without either: it is not an attempt."""
    if not password:
        raise DomainError("password_reverification_failed")
    again = authenticate(request=request, email=user.email, password=password)
    if again is not None and again.pk == user.pk:
        return
    locked = getattr(request, "axes_locked_out", False)
    access_log_login_failed(
        context=AccessContext.from_request(request, user=user),
        attempted_login=user.email,
        reason="login_locked" if locked else "password_reverification",
    )
    raise DomainError("login_locked" if locked else "password_reverification_failed")


def login_complete(*, request: HttpRequest, user: User, method: str) -> TokenPair:
    """Opens a login session for a user who passed every required factor. The one way a token
    pair is issued (the admin's OTP login is the one way a Django session is opened,
    accounts.admin_site); both write their login row.

    Side effects: a LoginSession row; `user_logged_in` (updates last_login, resets axes); an
    access log row (login)."""
    amr = ["pwd"] if method == "password" else ["pwd", "otp"]
    with transaction.atomic():
        pair = login_session_open(
            user=user, user_agent=request.headers.get("User-Agent", ""), amr=amr
        )
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        access_log_login(
            context=AccessContext.from_request(request, user=user),
            method=method,
            session_id=pair.session_id,
        )
    return pair


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


def logout(*, user: User, session_id: str | None, refresh: str | None = None) -> None:
    """Revokes the current login session: its access and refresh tokens stop working at once.
    Without a login session (a caller authenticated by a Django session) nothing would end, so
    that is refused (`logout_not_a_login_session`) rather than answered as done: a Django
    session ends at its own site's logout (docs/adr/0015).

    Side effects: LoginSession.revoked_at; the refresh token (if given) blacklisted;
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

    Side effects: User.credential_epoch; LoginSession.revoked_at (reason);
    accounts.hooks.login_sessions_ended published (notifications: the user's push devices
    deactivated, their sessions ended)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(credential_epoch=F("credential_epoch") + 1)
        user.refresh_from_db(fields=["credential_epoch"])
        ended = LoginSession.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason[:32]
        )
        login_sessions_ended.publish(LoginSessionsEnded(user=user, reason=reason))
    return ended


def require_capability(actor: User | None, permission: str) -> None:
    """Account changes are made by someone holding `permission`, or by the system (None)."""
    if actor is not None and not actor.has_perm(permission):
        raise DomainError("permission_denied")


def user_deactivate(*, user: User, actor: User | None, context: AccessContext) -> None:
    """Deactivates an account: it can no longer log in, its tokens and Django sessions stop
    working at once and its devices get no more pushes. Safe to repeat.

    Side effects: User.is_active False; as login_sessions_end (reason user_deactivated); all
    the user's devices deactivated; an access log row (credential_change) when it was active."""
    require_capability(actor, CHANGE_USER)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        was_active = user.is_active
        if was_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        ended = login_sessions_end(user=user, reason="user_deactivated")
        if was_active:
            account_change_record(
                context=context,
                action=Action.CREDENTIAL_CHANGE,
                target=user,
                authorisation_rule=actor_rule(actor, CHANGE_USER),
                details={"change": "deactivated", "sessions_ended": ended},
            )


def user_reactivate(*, user: User, actor: User | None, context: AccessContext) -> bool:
    """Reactivates an account. Sessions from before the deactivation stay ended: the credential
    epoch moves on. Returns False when it was active already.

    Side effects: User.is_active True; as login_sessions_end (reason user_reactivated); an
    access log row (credential_change)."""
    require_capability(actor, CHANGE_USER)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            return False
        user.is_active = True
        user.save(update_fields=["is_active"])
        ended = login_sessions_end(user=user, reason="user_reactivated")
        account_change_record(
            context=context,
            action=Action.CREDENTIAL_CHANGE,
            target=user,
            authorisation_rule=actor_rule(actor, CHANGE_USER),
            details={"change": "reactivated", "sessions_ended": ended},
        )
    return True


def lockout_response(request: HttpRequest, response: object, credentials: dict[str, Any]) -> Any:
    """django-axes: a locked-out login gets our standard JSON error, in the API and admin alike."""
    from django.http import JsonResponse

    from backend.errors import message_for
    from backend.exception_handler import error_body

    return JsonResponse(error_body("login_locked", message_for("login_locked")), status=429)
