"""Writes for the second factor: TOTP enrolment, recovery codes, and the TOTP login step."""

import base64
import io
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.account_log import RULE_OWN_ACCOUNT, access_log_login_failed, account_change_record
from accounts.mfa import PURPOSE_VERIFY, mfa_token_user
from accounts.models import User
from accounts.services.login import login_complete, password_reverify
from accounts.services.second_factor_reset import (
    second_factor_code_check,
    second_factor_code_redeem,
)
from accounts.services.sessions import TokenPair, login_sessions_end
from audit.context import AccessContext
from audit.models import Action
from backend.errors import DomainError

TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery-codes"
RECOVERY_CODE_COUNT = 10


@dataclass(frozen=True)
class TotpEnrolment:
    otpauth_uri: str
    secret: str  # base32, for typing into an app by hand
    qr_svg_data_uri: str


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _verify_any(*, user: User, code: str) -> Device | None:
    """The confirmed device (TOTP or recovery code) that accepts `code`. Throttled per device by
    django-otp; commits its throttle counters even when the caller later fails."""
    code = code.strip().replace(" ", "").lower()
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


def totp_enrolment_begin(
    *, request: HttpRequest, user: User, with_access_token: bool, password: str = "", code: str = ""
) -> TotpEnrolment:
    """Starts (or restarts) linking an authenticator app: a new unconfirmed TOTP device.

    With an access token (not the first-login enrolment token, which comes straight from a
    password login) the password is asked again, and a user who already has a second factor
    must prove it with `code` (TOTP or recovery code): a stolen access token alone cannot link
    an attacker's app.

    Side effects: replaces the user's unconfirmed TOTP devices; may consume a recovery code; on
    a wrong password as accounts.services.login.password_reverify. After an admin reset the
    second factor alone, `code` is the one-time code they handed over (second_factor_reset)."""
    if with_access_token:
        password_reverify(request=request, user=user, password=password)
    enrolled = user_has_device(user, confirmed=True)
    if enrolled and (not code or _verify_any(user=user, code=code) is None):
        raise DomainError("mfa_reverification_required")
    if not enrolled:
        second_factor_code_check(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    uri = device.config_url
    return TotpEnrolment(
        otpauth_uri=uri,
        secret=base64.b32encode(device.bin_key).decode(),
        qr_svg_data_uri=_qr_data_uri(uri),
    )


@dataclass(frozen=True)
class TotpConfirmation:
    recovery_codes: list[str]
    tokens: TokenPair


def totp_enrolment_confirm(
    *, request: HttpRequest, user: User, code: str, with_access_token: bool, password: str = ""
) -> TotpConfirmation:
    """Confirms the pending TOTP device with a code from the app; returns fresh recovery codes
    (shown once) and a new token pair. With an access token the password is asked again.

    Side effects: as totp_pending_confirm; as accounts.services.login.login_complete (method
    totp_enrolment)."""
    if with_access_token:
        password_reverify(request=request, user=user, password=password)
    pending = totp_pending_verify(user=user, code=code)
    with transaction.atomic():
        codes = totp_pending_confirm(request=request, user=user, pending=pending)
        pair = login_complete(request=request, user=user, method="totp_enrolment")
    return TotpConfirmation(recovery_codes=codes, tokens=pair)


def totp_pending_verify(*, user: User, code: str) -> TOTPDevice:
    """The user's pending (unconfirmed) TOTP device, if `code` from the app matches it; else
    mfa_enrolment_not_started or mfa_code_invalid. The device's throttle counter is committed
    even when the code is wrong."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if pending is None:
        raise DomainError("mfa_enrolment_not_started")
    with transaction.atomic():
        pending = TOTPDevice.objects.select_for_update().get(pk=pending.pk)
        verified = pending.verify_token(code.strip().replace(" ", ""))
    if not verified:  # the throttle counter above is committed on purpose
        raise DomainError("mfa_code_invalid")
    return pending


def totp_pending_confirm(*, request: HttpRequest, user: User, pending: TOTPDevice) -> list[str]:
    """Confirms a verified pending device; returns fresh recovery codes (shown once). Older
    TOTP devices and recovery codes of the user are replaced, and every earlier session ends:
    a second factor changed. The caller opens the new session in the same transaction
    (login_complete for tokens, accounts.session_login for a browser).

    Side effects: TOTPDevice confirmed, others deleted; StaticDevice with new StaticTokens; a
    second-factor reset's CredentialCode deleted; as
    accounts.services.login_sessions_end (reason mfa_changed); an access log row (mfa_enrol)."""
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=user).exclude(pk=pending.pk).delete()[0]
        pending.confirmed = True
        pending.save(update_fields=["confirmed"])
        codes = recovery_codes_replace(user=user)
        second_factor_code_redeem(user=user)
        ended = login_sessions_end(user=user, reason="mfa_changed")
        account_change_record(
            context=AccessContext.from_request(request, user=user),
            action=Action.MFA_ENROL,
            target=user,
            authorisation_rule=RULE_OWN_ACCOUNT,
            details={"device_id": pending.pk, "replaced": bool(replaced), "sessions_ended": ended},
        )
    return codes


def recovery_codes_replace(*, user: User) -> list[str]:
    """New one-time recovery codes; the old ones stop working. Side effects: StaticDevice and
    StaticToken rows (django-otp stores these codes as given)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def mfa_login_verify(*, request: HttpRequest, mfa_token: str, code: str) -> TokenPair:
    """The second login step: the token from the password step plus a TOTP or recovery code.

    Side effects: as second_factor_check; as accounts.services.login.login_complete on success."""
    user = mfa_token_user(token=mfa_token, purpose=PURPOSE_VERIFY)
    device = second_factor_check(request=request, user=user, code=code)
    return login_complete(request=request, user=user, method=second_factor_method(device))


def second_factor_check(*, request: HttpRequest, user: User, code: str) -> Device:
    """The user's confirmed device that accepts `code` (TOTP or recovery code), for a login's
    second step. A wrong code counts as a failed login for the lockout (django-axes) and is
    logged; a locked account is refused.

    Side effects on a refusal: an access log row (login_failed), an axes failure record and
    the device's throttle counter."""
    credentials = {"email": user.email}
    context = AccessContext.from_request(request, user=user)
    if AxesProxyHandler.is_locked(request, credentials=credentials):
        access_log_login_failed(context=context, attempted_login=user.email, reason="locked")
        raise DomainError("login_locked")
    device = _verify_any(user=user, code=code)
    if device is None:
        access_log_login_failed(context=context, attempted_login=user.email, reason="mfa_code")
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        raise DomainError("mfa_code_invalid")
    return device


def second_factor_method(device: Device) -> str:
    return "recovery_code" if isinstance(device, StaticDevice) else "totp"
