"""Issue 19 item 2: one way to say "the system". Account and membership writes are made by a
person holding the capability or by an explicit system actor (accounts.actors.SystemActor: the
demo loader, commands, a test's setup); a missing actor (None) is refused with 403
permission_denied and changes nothing, where it used to be taken for the system
(docs/adr/0039)."""

from collections.abc import Callable

import pytest

from accounts import services
from accounts.actors import SYSTEM, SystemActor
from accounts.models import MembershipRequest, TeamMembership, TeamRole, User
from accounts.roles import Role
from audit.context import AccessContext
from audit.models import AccessLog
from backend.errors import DomainError
from tests.factories import TeamFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

CONTEXT = AccessContext.system(role="test")


def writes(actor: object) -> dict[str, Callable[[], object]]:
    """Every account write that the system may make, each with its own target made first."""
    team = TeamFactory()
    member, promoted = member_of(team), member_of(team)
    users = {name: UserFactory() for name in ("deactivate", "access", "join", "reset", "second")}
    inactive = UserFactory(is_active=False)
    return {
        "user_deactivate": lambda: services.user_deactivate(
            user=users["deactivate"], actor=actor, context=CONTEXT
        ),
        "user_reactivate": lambda: services.user_reactivate(
            user=inactive, actor=actor, context=CONTEXT
        ),
        "user_create": lambda: services.user_create(
            email="nieuw@example.org", actor=actor, context=CONTEXT
        ),
        "user_access_set": lambda: services.user_access_set(
            user=users["access"], roles=[Role.FIELD_WORKER], actor=actor, context=CONTEXT
        ),
        "team_membership_set": lambda: services.team_membership_set(
            team=team, user=users["join"], role=TeamRole.MEMBER, actor=actor, context=CONTEXT
        ),
        "team_membership_remove": lambda: services.team_membership_remove(
            team=team, user=member, actor=actor, context=CONTEXT
        ),
        "team_membership_request": lambda: services.team_membership_request(
            team=team, user=promoted, role=TeamRole.COORDINATOR, actor=actor, context=CONTEXT
        ),
        "credentials_reset": lambda: services.credentials_reset(
            user=users["reset"], actor=actor, context=CONTEXT
        ),
        "second_factor_reset": lambda: services.second_factor_reset(
            user=users["second"], actor=actor, context=CONTEXT
        ),
    }


def state() -> tuple:
    return (
        AccessLog.objects.count(),
        User.objects.count(),
        User.objects.filter(is_active=True).count(),
        TeamMembership.objects.count(),
        MembershipRequest.objects.count(),
    )


def test_a_missing_actor_is_refused_by_every_account_write():
    for write_name, write in writes(None).items():
        before = state()
        with pytest.raises(DomainError) as refused:
            write()
        assert (refused.value.code, refused.value.status) == ("permission_denied", 403), write_name
        assert state() == before, write_name


def test_a_missing_actor_is_refused_even_where_nothing_would_change():
    team = TeamFactory()
    member = member_of(team)
    for write in (
        lambda: services.team_membership_set(
            team=team, user=member, role=TeamRole.MEMBER, actor=None, context=CONTEXT
        ),
        lambda: services.user_access_set(user=member, roles=[], actor=None, context=CONTEXT),
    ):
        with pytest.raises(DomainError) as refused:
            write()
        assert refused.value.code == "permission_denied"


def test_the_system_actor_makes_the_same_writes_and_is_logged_as_the_system():
    for write_name, write in writes(SystemActor("test")).items():
        before = list(AccessLog.objects.values_list("pk", flat=True))
        write()
        rows = list(AccessLog.objects.exclude(pk__in=before))
        assert rows, write_name
        assert {row.authorisation_rule for row in rows} <= {"system"}, write_name
        assert {row.actor_id for row in rows} == {None}, write_name


def test_only_a_person_decides_a_requested_team_role():
    team = TeamFactory()
    member_of(team, TeamRole.COORDINATOR)
    pending = services.team_membership_request(
        team=team, user=member_of(team), role=TeamRole.COORDINATOR, actor=SYSTEM, context=CONTEXT
    )
    assert pending is not None and pending.requested_by is None
    for decide in (services.team_membership_approve, services.team_membership_refuse):
        for actor in (None, SYSTEM):
            with pytest.raises(DomainError) as refused:
                decide(request_id=pending.pk, actor=actor, context=CONTEXT)
            assert refused.value.code == "permission_denied"
    pending.refresh_from_db()
    assert pending.status == MembershipRequest.Status.PENDING


def test_a_person_without_the_capability_is_refused_as_before():
    field_worker = UserFactory(field_worker=True)
    for write_name, write in writes(field_worker).items():
        before = state()
        with pytest.raises(DomainError) as refused:
            write()
        assert refused.value.code == "permission_denied", write_name
        assert state() == before, write_name
