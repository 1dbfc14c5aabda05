"""Second factor policy and the short-lived tokens between password and TOTP steps.

Who needs a second factor: everyone with a capability beyond submitting signals, staff and
superusers; field workers too unless MFA_EXEMPT_FIELD_WORKERS; and anyone who enrolled a
device anyway. Capabilities, not group names, decide
(docs/adr/0003-roles-as-groups-code-checks-permissions.md, docs/adr/0010-second-factor.md).
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp import user_has_device

from accounts.models import User
from accounts.roles import SUBMIT_SIGNAL
from backend.errors import DomainError

PURPOSE_VERIFY = "verify"
PURPOSE_ENROL = "enrol"
_SALT = "accounts.mfa"


def role_requires_mfa(*, user: User) -> bool:
    """True when the user's roles (capabilities, staff, superuser) need a second factor. Checked
    on every request of a password-only token, so it reads only the permission cache that the
    view's capability check reuses."""
    if user.is_staff or user.is_superuser:
        return True
    capabilities = user.get_all_permissions()
    if capabilities - {SUBMIT_SIGNAL}:
        return True
    return SUBMIT_SIGNAL in capabilities and not settings.MFA_EXEMPT_FIELD_WORKERS


def user_requires_mfa(*, user: User) -> bool:
    """True when this user must pass a second factor before getting tokens: their roles need
    one, or they enrolled a device anyway. (Enrolling ends every earlier login session, so a
    password-only token never outlives an enrolment: docs/adr/0015.)"""
    return role_requires_mfa(user=user) or user_has_device(user, confirmed=True)


@dataclass(frozen=True)
class MfaChallenge:
    """The password was right; a second factor (or enrolling one) comes next."""

    mfa_token: str
    enrolment_required: bool


def _state(user: User) -> str:
    """Changes when the user logs in or any credential changes (password, second factor,
    activation: credential_epoch), so a token works until then only."""
    last_login = user.last_login.isoformat() if user.last_login else ""
    value = f"{user.pk}|{user.password}|{user.credential_epoch}|{last_login}"
    return salted_hmac(_SALT + ".state", value).hexdigest()[:32]


def mfa_token_issue(*, user: User, purpose: str) -> str:
    return signing.dumps({"u": str(user.pk), "p": purpose, "s": _state(user)}, salt=_SALT)


def mfa_token_user(*, token: str, purpose: str) -> User:
    """The active user a still-valid token of `purpose` was issued to; else mfa_token_invalid."""
    max_age = (
        settings.MFA_ENROLMENT_TOKEN_MAX_AGE
        if purpose == PURPOSE_ENROL
        else settings.MFA_TOKEN_MAX_AGE
    )
    try:
        payload: dict[str, Any] = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise DomainError("mfa_token_invalid") from exc
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if (
        user is None
        or payload.get("p") != purpose
        or not constant_time_compare(str(payload.get("s")), _state(user))
    ):
        raise DomainError("mfa_token_invalid")
    return user


def login_challenge(*, user: User) -> MfaChallenge | None:
    """None when this user gets tokens right away; else what the client must do next."""
    if not user_requires_mfa(user=user):
        return None
    enrolled = user_has_device(user, confirmed=True)
    purpose = PURPOSE_VERIFY if enrolled else PURPOSE_ENROL
    return MfaChallenge(
        mfa_token=mfa_token_issue(user=user, purpose=purpose), enrolment_required=not enrolled
    )
