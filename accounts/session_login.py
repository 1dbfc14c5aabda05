"""Logging in to server-rendered pages (the team workspace, issue 13): the password, then always
a second factor (a TOTP or recovery code), or on first login linking an authenticator app by QR
code. What it opens is a Django session with a django-otp device verified in it, the one kind
of session the API (VerifiedSessionAuthentication) and the page guards (accounts.guards) accept,
whatever the role (docs/adr/0015, 0027).

Between the steps the browser's session holds only the short-lived mfa_token of accounts.mfa,
the same token the app gets from POST /auth/login, so the steps share its expiry and its
invalidation on any credential change."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import Device

from accounts.account_log import access_log_login, access_log_login_failed
from accounts.mfa import PURPOSE_ENROL, PURPOSE_VERIFY, mfa_token_issue, mfa_token_user
from accounts.models import User
from accounts.oidc import (
    AuthorizationRequest,
    authorization_begin,
    claims_from_code,
    provider_for_email,
    provider_named,
    second_factor_shown,
)
from accounts.services.login import password_login_allowed, password_login_refuse
from accounts.services.oidc_login import oidc_identity_match
from accounts.services.second_factor import (
    TotpEnrolment,
    second_factor_check,
    second_factor_method,
    totp_enrolment_begin,
    totp_pending_confirm,
    totp_pending_verify,
)
from audit.context import AccessContext
from backend.errors import DomainError

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
METHOD_PREFIX = "session_"


def session_password_step(*, request: HttpRequest, email: str, password: str) -> tuple[str, bool]:
    """Checks the password (through django-axes, which counts failures and locks out). Returns
    the mfa_token for the next step and whether that step is enrolment (no authenticator yet).

    Side effects on a refusal: an access log row (login_failed) and an axes failure record."""
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
    return _second_step(user)


def _second_step(user: User) -> tuple[str, bool]:
    enrol = not user_has_device(user, confirmed=True)
    purpose = PURPOSE_ENROL if enrol else PURPOSE_VERIFY
    return mfa_token_issue(user=user, purpose=purpose), enrol


def session_oidc_begin(
    *, provider_name: str, email: str, redirect_uri: str
) -> AuthorizationRequest:
    """Where to send the browser to sign in at the organisation's provider: the one named, or
    the one of the e-mail address's domain. Raises oidc_provider_unknown, or
    oidc_provider_unavailable when its discovery document cannot be read."""
    provider = provider_named(provider_name) if provider_name else provider_for_email(email)
    return authorization_begin(provider=provider, redirect_uri=redirect_uri)


def session_oidc_step(
    *,
    request: HttpRequest,
    pending: AuthorizationRequest,
    code: str,
    redirect_uri: str,
    issuer: str = "",
) -> tuple[str, bool] | None:
    """A verified ID token from the organisation's provider (docs/adr/0046). When the provider
    showed a second factor, the session opens with the provider link as its verified device
    (returns None); otherwise returns the mfa_token and whether to enrol, as the password step
    does, and the local TOTP step follows.

    Side effects: as accounts.services.oidc_login.oidc_identity_match; when the session opens,
    as session_open (login row, method session_oidc_mfa)."""
    provider = provider_named(pending.provider)
    if issuer and issuer != provider.issuer:  # RFC 9207: the answer of another provider
        raise DomainError("oidc_token_invalid")
    claims = claims_from_code(
        provider=provider,
        code=code,
        code_verifier=pending.code_verifier,
        redirect_uri=redirect_uri,
        nonce=pending.nonce,
    )
    identity = oidc_identity_match(request=request, provider=provider, claims=claims)
    if second_factor_shown(provider=provider, claims=claims):
        session_open(request=request, user=identity.user, device=identity, method="oidc_mfa")
        return None
    return _second_step(identity.user)


def session_code_step(*, request: HttpRequest, mfa_token: str, code: str) -> User:
    """The second step: a TOTP or recovery code opens the session.

    Side effects: as accounts.services.second_factor.second_factor_check; on success as
    session_open."""
    user = mfa_token_user(token=mfa_token, purpose=PURPOSE_VERIFY)
    device = second_factor_check(request=request, user=user, code=code)
    session_open(request=request, user=user, device=device, method=second_factor_method(device))
    return user


def session_enrolment_begin(
    *, request: HttpRequest, mfa_token: str, reset_code: str = ""
) -> TotpEnrolment:
    """First login: a new pending authenticator, shown as a QR code (and its secret). After an
    admin reset the second factor alone, `reset_code` is the one-time code they handed over.

    Side effects: as accounts.services.second_factor.totp_enrolment_begin."""
    user = mfa_token_user(token=mfa_token, purpose=PURPOSE_ENROL)
    return totp_enrolment_begin(
        request=request, user=user, with_access_token=False, code=reset_code
    )


def session_enrolment_confirm(*, request: HttpRequest, mfa_token: str, code: str) -> list[str]:
    """A code from the new app confirms it and opens the session; returns the recovery codes
    (shown once).

    Side effects: as accounts.services.second_factor.totp_pending_confirm and session_open."""
    user = mfa_token_user(token=mfa_token, purpose=PURPOSE_ENROL)
    pending = totp_pending_verify(user=user, code=code)
    with transaction.atomic():
        codes = totp_pending_confirm(request=request, user=user, pending=pending)
        user.refresh_from_db()
        session_open(request=request, user=user, device=pending, method="totp_enrolment")
    return codes


def session_open(
    *, request: HttpRequest, user: User, device: Device, method: str, prefix: str = METHOD_PREFIX
) -> None:
    """Opens the Django session with the device verified in it. Called only by the steps above,
    the admin's login (accounts.admin_site, prefix "admin_") and test fixtures: every way in
    writes its login row, and every browser session gets the same fixed end.

    Side effects: a new session key (Django's login), ending BROWSER_SESSION_HOURS from now
    whatever is written to the session later; `user_logged_in` (last_login, axes reset); the
    device marked verified in the session; an access log row (login, method <prefix><method>)."""
    with transaction.atomic():
        auth.login(request, user, backend=MODEL_BACKEND)
        # A point in time, not a number of seconds: Django counts seconds from the session's
        # last save, so any later write (a remembered ?next=) would push the end on again.
        request.session.set_expiry(session_end())
        otp_login(request, device)
        access_log_login(
            context=AccessContext.from_request(request, user=user), method=prefix + method
        )


def session_end() -> datetime:
    """When a browser session opened now ends: BROWSER_SESSION_HOURS, never later."""
    return timezone.now() + timedelta(hours=settings.BROWSER_SESSION_HOURS)


def session_close(*, request: HttpRequest) -> None:
    """Ends the browser's session (logouts are not logged, as for tokens: docs/adr/0015).

    Side effects: the session flushed."""
    auth.logout(request)
