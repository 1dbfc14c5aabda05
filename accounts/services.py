"""Writes for accounts: users, memberships, login sessions and tokens."""

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.authentication import SESSION_CLAIM
from accounts.models import LoginSession, Organisation, Team, TeamMembership, User
from accounts.roles import Role
from backend.errors import DomainError

logger = logging.getLogger(__name__)


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


def _issue_tokens(*, session: LoginSession) -> TokenPair:
    refresh = RefreshToken.for_user(session.user)
    refresh[SESSION_CLAIM] = str(session.pk)
    return TokenPair(
        access=str(refresh.access_token), refresh=str(refresh), session_id=str(session.pk)
    )


def login(*, request: HttpRequest, email: str, password: str) -> TokenPair:
    """Checks credentials (through django-axes, which counts failures and locks out), opens a
    login session and issues an access + refresh token pair bound to it.

    Side effects: a LoginSession row; `user_logged_in` (updates last_login, resets axes)."""
    user = authenticate(request=request, email=email, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise DomainError("login_locked")
        raise DomainError("invalid_credentials")
    with transaction.atomic():
        pair = login_session_open(user=user, user_agent=request.headers.get("User-Agent", ""))
        user_logged_in.send(sender=user.__class__, request=request, user=user)
    return pair


def login_session_open(*, user: User, user_agent: str = "") -> TokenPair:
    """Opens a login session for an already authenticated user and issues its tokens.

    Side effects: a LoginSession row; an OutstandingToken row for the refresh token."""
    session = LoginSession.objects.create(user=user, user_agent=user_agent[:255])
    return _issue_tokens(session=session)


def token_refresh(*, refresh: str) -> TokenPair:
    """Rotates a refresh token: the old one is blacklisted, a new pair is issued on the same
    session. Presenting an already-rotated token is treated as theft: the session is revoked.

    Side effects: BlacklistedToken for the old token; LoginSession.last_refreshed_at or, on
    reuse, LoginSession.revoked_at."""
    try:
        unverified = RefreshToken(refresh, verify=False)
        session_id = unverified.get(SESSION_CLAIM)
        jti = unverified.get("jti")
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
            token.blacklist()
            session.last_refreshed_at = timezone.now()
            session.save(update_fields=["last_refreshed_at"])
            pair = _issue_tokens(session=session)
    if token is None:
        raise DomainError("token_not_valid")
    return pair


def _revoke(session: LoginSession, *, reason: str) -> None:
    session.revoked_at = timezone.now()
    session.revoked_reason = reason
    session.save(update_fields=["revoked_at", "revoked_reason"])


def logout(*, user: User, session_id: str | None, refresh: str | None = None) -> None:
    """Revokes the current login session: its access and refresh tokens stop working at once.

    Side effects: LoginSession.revoked_at; the refresh token (if given) blacklisted."""
    with transaction.atomic():
        if session_id:
            session = (
                LoginSession.objects.select_for_update()
                .filter(pk=session_id, user=user, revoked_at__isnull=True)
                .first()
            )
            if session is not None:
                _revoke(session, reason="logout")
        if refresh:
            with contextlib.suppress(TokenError):  # already invalid: nothing left to revoke
                RefreshToken(refresh).blacklist()


def lockout_response(request: HttpRequest, response: object, credentials: dict[str, Any]) -> Any:
    """django-axes: a locked-out login gets our standard JSON error, in the API and admin alike."""
    from django.http import JsonResponse

    from backend.errors import message_for
    from backend.exception_handler import error_body

    return JsonResponse(error_body("login_locked", message_for("login_locked")), status=429)
