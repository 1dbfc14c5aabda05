"""Changing an account's e-mail address (docs/adr/0034, amended). The address is where one-time
codes go, so it is an access field: an admin who points someone else's account at a mailbox the
admin reads, then resets the credentials, would reach resident data alone. A change made by
anyone but the holder therefore suspends the account's team roles into requests that a second
person must approve (accounts.services.membership_requests), and drops a one-time code not yet
sent. Every change is an access-log row naming both addresses masked."""

from django.db import transaction

from accounts.account_log import account_change_record, actor_rule
from accounts.actors import require_capability
from accounts.emails import mask_email, normalise_email
from accounts.models import CredentialCode, TeamMembership, User
from accounts.roles import CHANGE_USER
from accounts.services.membership_requests import team_membership_request
from accounts.services.memberships import team_membership_remove, user_lock
from audit.context import AccessContext
from audit.models import Action


def user_email_change(*, user: User, email: str, actor: User, context: AccessContext) -> bool:
    """Sets the account's e-mail address. Returns False when it is the same address.

    Side effects: User.email; when the actor is not the holder: the team memberships become
    pending requests (one access-log row each, removed and requested) and an outstanding
    one-time code is deleted; an access log row (credential_change, email_changed)."""
    if actor.pk != user.pk:
        require_capability(actor, CHANGE_USER)
    new = normalise_email(email)
    with transaction.atomic():
        user = user_lock(user)
        old = user.email
        if new == old:
            return False
        user.email = new
        user.save(update_fields=["email"])
        by_someone_else = actor.pk != user.pk
        suspended = []
        if by_someone_else:
            CredentialCode.objects.filter(user=user, sent_at__isnull=True).delete()
            for membership in TeamMembership.objects.filter(user=user).select_related("team"):
                team_membership_remove(
                    team=membership.team, user=user, actor=actor, context=context
                )
                team_membership_request(
                    team=membership.team,
                    user=user,
                    role=membership.role,
                    actor=actor,
                    context=context,
                )
                suspended.append(str(membership.team_id))
        account_change_record(
            context=context,
            action=Action.CREDENTIAL_CHANGE,
            target=user,
            authorisation_rule=actor_rule(actor, CHANGE_USER) if by_someone_else else "self",
            details={
                "change": "email_changed",
                "from": mask_email(old),
                "to": mask_email(new),
                "team_roles_suspended": suspended,
            },
        )
    return True
