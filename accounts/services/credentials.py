"""Credentials are invalidated by an admin and chosen only by their owner (docs/adr/0016).

An admin's credential reset makes the password unusable, removes the second factor, ends every
session and issues a one-time code that goes by e-mail to the account holder, never to the admin
(docs/adr/0034, accounts.services.credential_delivery). With it the user sets a new password
(`POST /api/v1/auth/credentials/set`) and, on the next login, enrols a second factor through the
normal first-login flow. A new account starts the same way.
"""

import secrets
from datetime import timedelta
from typing import NoReturn

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.account_log import (
    OBJECT_TYPE,
    RULE_OWN_ACCOUNT,
    account_change_record,
    actor_rule,
    credential_hash,
)
from accounts.actors import Actor, is_system, require_capability_or_system
from accounts.emails import normalise_email
from accounts.models import CredentialCode, User
from accounts.services.credential_delivery import CodeNotice, code_delivery_enqueue, code_notice
from accounts.services.memberships import user_is_privileged
from accounts.services.sessions import login_sessions_end
from accounts.services.users import CHANGE_USER
from audit.context import AccessContext
from audit.models import AccessOutcome, Action, Purpose
from audit.services import access_log_record
from backend.errors import DomainError

# Crockford's base32 without I, L, O, U: easy to read out over the phone. 20 characters carry
# 100 bits, far beyond guessing within the throttle and the code's lifetime.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20
CODE_GROUP = 5
_HASH_SALT = "accounts.credential_code"


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _code_hash(code: str) -> str:
    return salted_hmac(_HASH_SALT, _normalise_code(code), algorithm="sha256").hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def new_code_hash() -> tuple[str, str]:
    """A fresh one-time code and the hash that is stored of it."""
    code = _new_code()
    return code, _code_hash(code)


def credentials_reset_check(*, user: User, actor: Actor) -> None:
    """Raises the DomainError that refuses `actor` resetting `user`'s credentials, if any."""
    require_capability_or_system(actor, CHANGE_USER)
    if not is_system(actor) and actor.pk == user.pk:
        raise DomainError("credential_reset_self")
    if not is_system(actor) and not actor.is_superuser and user_is_privileged(user):
        # Whoever resets an account can set its password: resetting an admin or a privacy
        # officer is taking it over unless a superuser does it.
        raise DomainError("credential_reset_not_allowed")
    if not user.email:
        # The code goes only to the holder's registered address, never to the admin.
        raise DomainError("credential_reset_without_email")


def second_factor_remove(*, user: User) -> int:
    """Deletes every TOTP device and recovery code of `user`. Returns how many devices.
    Side effects: TOTPDevice and StaticDevice rows deleted (with their tokens)."""
    totp = TOTPDevice.objects.filter(user=user)
    static = StaticDevice.objects.filter(user=user)
    removed = totp.count() + static.count()
    totp.delete()
    static.delete()  # with its recovery codes
    return removed


def credentials_reset(
    *,
    user: User,
    actor: Actor,
    context: AccessContext,
    purpose: str = CredentialCode.Purpose.RESET,
) -> CodeNotice:
    """Invalidates `user`'s credentials and has the one-time code for choosing new ones e-mailed
    to them. Returns what the admin may see: the masked address and the code's expiry.

    Side effects: the password made unusable; every TOTP device and recovery code deleted; as
    login_sessions_end (reason credentials_reset); an unsent CredentialCode row replacing any
    earlier one, its sending enqueued after commit; access log rows credential_change and, when
    a second factor was removed, mfa_change."""
    purpose = CredentialCode.Purpose(purpose).value
    rule = actor_rule(actor, CHANGE_USER)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        credentials_reset_check(user=user, actor=actor)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        devices = second_factor_remove(user=user)
        ended = login_sessions_end(user=user, reason="credentials_reset")
        issued = credential_code_issue(user=user, purpose=purpose, actor=actor)
        expires_at = issued.expires_at
        account_change_record(
            context=context,
            action=Action.CREDENTIAL_CHANGE,
            target=user,
            authorisation_rule=rule,
            details={
                "change": purpose,
                "sessions_ended": ended,
                "code_expires_at": expires_at.isoformat(),
                "code_delivery": "email",
            },
        )
        if devices:
            account_change_record(
                context=context,
                action=Action.MFA_CHANGE,
                target=user,
                authorisation_rule=rule,
                details={"change": "reset", "devices_removed": devices},
            )
    return code_notice(user=user, expires_at=expires_at)


def credential_code_issue(*, user: User, purpose: str, actor: Actor) -> CredentialCode:
    """A new one-time code for `user`, replacing any earlier one, to be made and e-mailed by
    the sending task; until then its hash is empty and nothing matches it. The caller holds the
    user's row lock. Side effects: the CredentialCode row; its sending enqueued after commit."""
    now = timezone.now()
    record, _created = CredentialCode.objects.update_or_create(
        user=user,
        defaults={
            "code_hash": "",
            "purpose": purpose,
            "issued_by_id": actor.pk if isinstance(actor, User) else None,
            "expires_at": now + timedelta(hours=settings.CREDENTIAL_RESET_HOURS),
            "queued_at": now,
            "claimed_until": None,
            "send_attempts": 0,
            "sent_at": None,
            "last_error_code": "",
        },
    )
    code_delivery_enqueue(code_id=record.pk)
    return record


def credential_code_matches(record: CredentialCode | None, code: str) -> bool:
    """Whether `code` is `record`'s, compared in constant time (also when there is no record,
    or its code was not made yet: an empty hash matches nothing)."""
    given = _code_hash(code)
    stored = record.code_hash if record and record.code_hash else _NO_CODE
    return constant_time_compare(given, stored) and bool(record and record.code_hash)


def _password_errors(password: str, user: User) -> None:
    """Django's password validators; their messages (in the request's language) name the rule
    broken, never the password."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        reasons = [
            {"code": error.code or "invalid", "message": " ".join(error.messages)}
            for error in exc.error_list
        ]
        raise DomainError("password_invalid", details={"reasons": reasons}) from exc


def credentials_set(*, request: HttpRequest, email: str, code: str, password: str) -> None:
    """Sets the password of the account `email` with its one-time code. An unknown address, a
    wrong code and a used one get the same refusal after the same work, so the answer tells
    nothing about which accounts exist.

    Side effects on success: the password; the CredentialCode deleted (one use); as
    login_sessions_end (reason password_set); an access log row (credential_change, actor the
    user). On a refusal an access log row (credential_change, failed) with a keyed hash of the
    address instead of the address."""
    email = normalise_email(email)
    record = (
        CredentialCode.objects.select_related("user")
        .filter(user__email=email, user__is_active=True)
        .exclude(purpose=CredentialCode.Purpose.SECOND_FACTOR)  # that one keeps the password
        .first()
    )
    if not credential_code_matches(record, code):
        _refuse(request=request, email=email, reason="credential_code_invalid", user=None)
    user = record.user
    if record.expires_at <= timezone.now():
        _refuse(request=request, email=email, reason="credential_code_expired", user=user)
    _password_errors(password, user)
    context = AccessContext.from_request(request, user=user)
    with transaction.atomic():
        record = CredentialCode.objects.select_for_update().filter(pk=record.pk).first()
        if record is None:  # a concurrent request used it first
            raise DomainError("credential_code_invalid")
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
        record.delete()
        ended = login_sessions_end(user=user, reason="password_set")
        account_change_record(
            context=context,
            action=Action.CREDENTIAL_CHANGE,
            target=user,
            authorisation_rule=f"credential_code:{record.purpose}",
            details={"change": "password_set", "sessions_ended": ended},
        )


_NO_CODE = "0" * 64  # compared against when there is no code, so both paths do the same work


def _refuse(*, request: HttpRequest, email: str, reason: str, user: User | None) -> NoReturn:
    """Logs a refused password set and raises `reason`. Side effects: one AccessLog row."""
    access_log_record(
        context=AccessContext.from_request(request, user=AnonymousUser()),
        action=Action.CREDENTIAL_CHANGE,
        outcome=AccessOutcome.FAILED,
        purpose=Purpose.AUTHENTICATION,
        authorisation_rule="credential_code",
        object_type=OBJECT_TYPE if user else "",
        object_id=str(user.pk) if user else "",
        details={
            "change": "password_set",
            "reason": reason,
            "credential_hash": credential_hash(email),
        },
    )
    raise DomainError(reason)


def password_change(*, user: User, password: str, context: AccessContext) -> None:
    """A user changes their own password (the admin's own-password form; the old password was
    checked by the form). Every other session of theirs ends; the caller keeps the current
    Django session with update_session_auth_hash.

    Side effects: the password; as login_sessions_end (reason password_changed); an access log
    row (credential_change)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
        ended = login_sessions_end(user=user, reason="password_changed")
        account_change_record(
            context=context,
            action=Action.CREDENTIAL_CHANGE,
            target=user,
            authorisation_rule=RULE_OWN_ACCOUNT,
            details={"change": "password_changed", "sessions_ended": ended},
        )
