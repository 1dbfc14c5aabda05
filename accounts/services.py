"""Writes for accounts: users, memberships, login sessions and tokens."""

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.authentication import SESSION_CLAIM
from accounts.mfa import MfaChallenge, login_challenge, user_requires_mfa
from accounts.models import LoginSession, Organisation, Team, TeamMembership, User
from accounts.roles import Role
from backend.errors import DomainError
from notifications.services import devices_remove_for_user
from privacy.context import AccessContext
from privacy.services import access_log_login, access_log_login_failed

logger = logging.getLogger(__name__)

AMR_CLAIM = "amr"  # how the session was authenticated (RFC 8176): ["pwd"] or ["pwd", "otp"]


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    session_id: str


def login_username_from_credentials(request: HttpRequest, credentials: dict[str, Any]) -> str:
    """Axes: the login name is the email, whether it came from the API or the admin form."""
    value = credentials.get("email") or credentials.get("username") or ""
    return str(value).strip().lower()


def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    organisation: Organisation | None = None,
    roles: list[str] | None = None,
    language: str = "nl",
) -> User:
    """Creates a user with the given roles (groups). Admins also get is_staff for /admin/."""
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            organisation=organisation,
            language=language,
            is_staff=Role.ADMIN in (roles or []) or Role.PRIVACY_OFFICER in (roles or []),
        )
        for role in roles or []:
            user_add_role(user=user, role=role)
    return user


def user_add_role(*, user: User, role: str) -> None:
    user.groups.add(Group.objects.get(name=Role(role).value))


def team_membership_set(*, team: Team, user: User, role: str) -> TeamMembership:
    """Adds or changes a membership; the matching role group comes with it."""
    with transaction.atomic():
        membership, _ = TeamMembership.objects.update_or_create(
            team=team, user=user, defaults={"role": role}
        )
        group_role = (
            Role.TEAM_COORDINATOR if role == TeamMembership.Role.COORDINATOR else Role.TEAM_MEMBER
        )
        user_add_role(user=user, role=group_role)
    return membership


def _issue_tokens(*, session: LoginSession, amr: list[str]) -> TokenPair:
    refresh = RefreshToken.for_user(session.user)
    refresh[SESSION_CLAIM] = str(session.pk)
    refresh[AMR_CLAIM] = amr
    return TokenPair(
        access=str(refresh.access_token), refresh=str(refresh), session_id=str(session.pk)
    )


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


def login_complete(*, request: HttpRequest, user: User, method: str) -> TokenPair:
    """Opens a login session for a user who passed every required factor.

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
    """Opens a login session for an already authenticated user and issues its tokens.

    Side effects: a LoginSession row; an OutstandingToken row for the refresh token."""
    session = LoginSession.objects.create(user=user, user_agent=user_agent[:255])
    return _issue_tokens(session=session, amr=amr or ["pwd"])


def token_refresh(*, refresh: str) -> TokenPair:
    """Rotates a refresh token: the old one is blacklisted, a new pair is issued on the same
    session. Presenting an already-rotated token is treated as theft: the session is revoked.

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
        if session is None or session.revoked_at or not session.user.is_active:
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

    Side effects: LoginSession.revoked_at; the refresh token (if given) blacklisted; the
    devices registered in this session get no more pushes."""
    with transaction.atomic():
        if session_id:
            session = (
                LoginSession.objects.select_for_update()
                .filter(pk=session_id, user=user, revoked_at__isnull=True)
                .first()
            )
            if session is not None:
                _revoke(session, reason="logout")
                devices_remove_for_user(user=user, reason="logout", login_session_id=session.pk)
        if refresh:
            with contextlib.suppress(TokenError):  # already invalid: nothing left to revoke
                RefreshToken(refresh).blacklist()


def user_deactivate(*, user: User) -> None:
    """Deactivates an account: it can no longer log in, its tokens stop working at once and its
    devices get no more pushes. Safe to repeat.

    Side effects: User.is_active False; every live LoginSession revoked (reason
    user_deactivated); all the user's devices deactivated."""
    with transaction.atomic():
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        for session in LoginSession.objects.select_for_update().filter(
            user=user, revoked_at__isnull=True
        ):
            _revoke(session, reason="user_deactivated")
        devices_remove_for_user(user=user, reason="user_deactivated")


def lockout_response(request: HttpRequest, response: object, credentials: dict[str, Any]) -> Any:
    """django-axes: a locked-out login gets our standard JSON error, in the API and admin alike."""
    from django.http import JsonResponse

    from backend.errors import message_for
    from backend.exception_handler import error_body

    return JsonResponse(error_body("login_locked", message_for("login_locked")), status=429)
