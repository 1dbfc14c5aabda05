"""Account activation: deactivating and reactivating a user. Each change is made by someone
holding `accounts.change_user` or by the system (accounts.actors, docs/adr/0039)."""

from django.db import transaction

from accounts.account_log import account_change_record, actor_rule
from accounts.actors import Actor, require_capability_or_system
from accounts.models import User
from accounts.roles import CHANGE_USER
from accounts.services.sessions import login_sessions_end
from audit.context import AccessContext
from audit.models import Action


def user_deactivate(*, user: User, actor: Actor, context: AccessContext) -> None:
    """Deactivates an account: it can no longer log in, its tokens and Django sessions stop
    working at once and its devices get no more pushes. Safe to repeat.

    Side effects: User.is_active False; as login_sessions_end (reason user_deactivated); all
    the user's devices deactivated; an access log row (credential_change) when it was active."""
    require_capability_or_system(actor, CHANGE_USER)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        was_active = user.is_active
        if was_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        ended = login_sessions_end(user=user, reason="user_deactivated")
        if was_active:
            account_change_record(
                context=context,
                action=Action.CREDENTIAL_CHANGE,
                target=user,
                authorisation_rule=actor_rule(actor, CHANGE_USER),
                details={"change": "deactivated", "sessions_ended": ended},
            )


def user_reactivate(*, user: User, actor: Actor, context: AccessContext) -> bool:
    """Reactivates an account. Sessions from before the deactivation stay ended: the credential
    epoch moves on. Returns False when it was active already.

    Side effects: User.is_active True; as login_sessions_end (reason user_reactivated); an
    access log row (credential_change)."""
    require_capability_or_system(actor, CHANGE_USER)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            return False
        user.is_active = True
        user.save(update_fields=["is_active"])
        ended = login_sessions_end(user=user, reason="user_reactivated")
        account_change_record(
            context=context,
            action=Action.CREDENTIAL_CHANGE,
            target=user,
            authorisation_rule=actor_rule(actor, CHANGE_USER),
            details={"change": "reactivated", "sessions_ended": ended},
        )
    return True
