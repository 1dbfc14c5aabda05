"""Logging in: the password step, the re-check of a password before a sensitive change, and
completing a login once every required factor passed."""

from typing import NoReturn

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest

from accounts.account_log import access_log_login, access_log_login_failed
from accounts.mfa import MfaChallenge, login_challenge
from accounts.models import User
from accounts.services.sessions import TokenPair, login_session_open
from audit.context import AccessContext
from backend.errors import DomainError


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
    if not password_login_allowed(user=user):
        password_login_refuse(request=request, user=user)
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


# The factors a login session's tokens carry (accounts.authentication.has_second_factor): a
# provider's login is "ext"; "mfa" when the provider showed a second factor (docs/adr/0046).
AMR = {"password": ["pwd"], "oidc": ["ext"], "oidc_mfa": ["ext", "mfa"]}


def password_login_allowed(*, user: User) -> bool:
    """False when one of the user's roles is in LOCAL_PASSWORD_DISABLED_ROLES: they sign in
    with their organisation's provider only (docs/adr/0046)."""
    disabled = set(settings.LOCAL_PASSWORD_DISABLED_ROLES)
    return not disabled or not user.groups.filter(name__in=disabled).exists()


def password_login_refuse(*, request: HttpRequest, user: User) -> NoReturn:
    """Refuses a correct password of a role that must use its provider.

    Side effects: an access log row (login_failed, reason local_login_disabled)."""
    access_log_login_failed(
        context=AccessContext.from_request(request, user=AnonymousUser()),
        attempted_login=user.email,
        reason="local_login_disabled",
    )
    raise DomainError("local_login_disabled")


def login_complete(*, request: HttpRequest, user: User, method: str) -> TokenPair:
    """Opens a login session for a user who passed every required factor. The one way a token
    pair is issued (the admin's OTP login is the one way a Django session is opened,
    accounts.admin_site); both write their login row.

    Side effects: a LoginSession row; `user_logged_in` (updates last_login, resets axes); an
    access log row (login)."""
    amr = AMR.get(method, ["pwd", "otp"])
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
