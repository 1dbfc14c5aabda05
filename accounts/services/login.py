"""Logging in: the password step, the re-check of a password before a sensitive change, and
completing a login once every required factor passed."""

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
