"""Access-log rows of accounts: logins and refused logins, and changes to an account
(memberships, roles, passwords, second factors, activation). The privacy officer finds the
latter with `object_type=accounts.user&object_id=<id>` on the audit API
(docs/adr/0016-separation-of-duties-and-credential-reset.md)."""

from typing import Any

from django.utils.crypto import salted_hmac

from accounts.actors import Actor, is_system
from accounts.emails import normalise_email
from accounts.models import User
from audit.context import AccessContext
from audit.models import AccessLog, AccessOutcome, Action, Purpose
from audit.services import access_log_record

OBJECT_TYPE = "accounts.user"
RULE_OWN_ACCOUNT = "own_account"
RULE_SYSTEM = "system"


def actor_rule(actor: Actor, capability: str) -> str:
    """The grounds written with a change: the capability an admin used, or `system` for the
    system (a command, the demo loader: accounts.actors.SystemActor)."""
    return RULE_SYSTEM if is_system(actor) else f"capability:{capability}"


def account_change_record(
    *,
    context: AccessContext,
    action: str,
    target: User | Any,
    authorisation_rule: str,
    details: dict[str, Any],
    outcome: str = AccessOutcome.SUCCESS,
) -> AccessLog:
    """One access-log row about `target`'s account: ids and codes only, never the address.

    Side effects: one AccessLog row in the caller's transaction."""
    return access_log_record(
        context=context,
        action=action,
        outcome=outcome,
        purpose=Purpose.AUTHENTICATION,
        authorisation_rule=authorisation_rule,
        object_type=OBJECT_TYPE,
        object_id=str(target.pk),
        details=details,
    )


def credential_hash(login_name: str) -> str:
    """A keyed hash of an attempted login name: repeated attempts on one account can be linked
    without the log holding the email address."""
    normalised = normalise_email(login_name)  # the same form the lockout counter keys on
    # The salt keeps the name it had when this lived in the privacy app: older rows stay linkable.
    return salted_hmac("privacy.login_failed", normalised, algorithm="sha256").hexdigest()[:32]


def access_log_login(*, context: AccessContext, method: str, session_id: str = "") -> AccessLog:
    """Logs a successful login. Side effects: one AccessLog row."""
    return access_log_record(
        context=context,
        action=Action.LOGIN,
        purpose=Purpose.AUTHENTICATION,
        authorisation_rule="credentials",
        object_type="accounts.loginsession" if session_id else "",
        object_id=session_id,
        details={"method": method},
    )


def access_log_login_failed(
    *, context: AccessContext, attempted_login: str, reason: str
) -> AccessLog:
    """Logs a refused login: the attempted name only as a keyed hash. Side effects: one
    AccessLog row (committed even though the login itself fails)."""
    return access_log_record(
        context=context,
        action=Action.LOGIN_FAILED,
        outcome=AccessOutcome.FAILED,
        purpose=Purpose.AUTHENTICATION,
        authorisation_rule="credentials",
        details={"reason": reason, "credential_hash": credential_hash(attempted_login)},
    )
