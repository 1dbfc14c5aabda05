"""An admin resets only a user's second factor, for a lost phone without recovery codes; the
password stays (docs/adr/0016, amended for issue 13).

The same separation of duties as a full credential reset: never one's own account, and an
admin, privacy officer or superuser only by a superuser. The authenticator app and recovery codes
are removed, every session ends, and a one-time code is e-mailed to the account holder, never
shown to the admin (docs/adr/0034). Linking a new app then needs the password and that code, so
neither the admin (who has neither) nor someone who only learnt the password can take the
account over.
"""

from django.db import transaction
from django.utils import timezone

from accounts.account_log import account_change_record, actor_rule
from accounts.actors import Actor
from accounts.models import CredentialCode, User
from accounts.services.credential_delivery import CodeNotice, code_notice
from accounts.services.credentials import (
    credential_code_issue,
    credential_code_matches,
    credentials_reset_check,
    second_factor_remove,
)
from accounts.services.sessions import login_sessions_end
from accounts.services.users import CHANGE_USER
from audit.context import AccessContext
from audit.models import Action
from backend.errors import DomainError

PURPOSE = CredentialCode.Purpose.SECOND_FACTOR


def second_factor_reset_check(*, user: User, actor: Actor) -> None:
    """Raises the DomainError that refuses `actor` resetting `user`'s second factor, if any: the
    rules of a credential reset, and an account without a password needs the full reset (its
    onboarding or reset code would otherwise be replaced)."""
    credentials_reset_check(user=user, actor=actor)
    if not user.has_usable_password():
        raise DomainError("second_factor_reset_without_password")


def second_factor_reset(*, user: User, actor: Actor, context: AccessContext) -> CodeNotice:
    """Removes `user`'s second factor, keeping the password, and has the one-time code that
    linking a new authenticator app asks for e-mailed to them. Returns what the admin may see.

    Side effects: every TOTP device and recovery code deleted; as login_sessions_end (reason
    second_factor_reset); an unsent CredentialCode row (purpose second_factor) replacing any
    earlier one, its sending enqueued after commit; an access log row (mfa_change)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        second_factor_reset_check(user=user, actor=actor)
        devices = second_factor_remove(user=user)
        ended = login_sessions_end(user=user, reason="second_factor_reset")
        issued = credential_code_issue(user=user, purpose=PURPOSE, actor=actor)
        account_change_record(
            context=context,
            action=Action.MFA_CHANGE,
            target=user,
            authorisation_rule=actor_rule(actor, CHANGE_USER),
            details={
                "change": "reset_second_factor",
                "devices_removed": devices,
                "sessions_ended": ended,
                "password_kept": True,
                "code_expires_at": issued.expires_at.isoformat(),
                "code_delivery": "email",
            },
        )
    return code_notice(user=user, expires_at=issued.expires_at)


def second_factor_code_check(*, user: User, code: str) -> None:
    """Before a new authenticator app is linked: when an admin reset `user`'s second factor, the
    one-time code they handed over must be given. Raises second_factor_code_required (none or
    a wrong one given) or credential_code_expired; passes when no such reset is open."""
    record = CredentialCode.objects.filter(user=user, purpose=PURPOSE).first()
    if record is None:
        return
    if not credential_code_matches(record, code):
        raise DomainError("second_factor_code_required")
    if record.expires_at <= timezone.now():
        raise DomainError("credential_code_expired")


def second_factor_code_redeem(*, user: User) -> None:
    """A new authenticator app is linked: the reset's code is used up. Side effects: the
    CredentialCode row (purpose second_factor) deleted."""
    CredentialCode.objects.filter(user=user, purpose=PURPOSE).delete()
