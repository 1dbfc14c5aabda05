"""Access-log rows for changes to an account: memberships, roles, passwords, second factors,
activation. The privacy officer finds them with `object_type=accounts.user&object_id=<id>` on
the audit API (docs/adr/0016-separation-of-duties-and-credential-reset.md)."""

from typing import Any

from accounts.models import User
from privacy.context import AccessContext
from privacy.models import AccessLog, Outcome, Purpose
from privacy.services import access_log_record

OBJECT_TYPE = "accounts.user"
RULE_OWN_ACCOUNT = "own_account"
RULE_SYSTEM = "system"


def actor_rule(actor: User | None, capability: str) -> str:
    """The grounds written with a change: the capability an admin used, or `system` for a
    command or migration without a person behind it."""
    return RULE_SYSTEM if actor is None else f"capability:{capability}"


def account_change_record(
    *,
    context: AccessContext,
    action: str,
    target: User | Any,
    authorisation_rule: str,
    details: dict[str, Any],
    outcome: str = Outcome.SUCCESS,
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
