"""Every service that changes a signal refuses an actor who may not make the change, with the
error the API shows, and changes nothing: a foreign team's member, someone with the team role
but no team, and a role without the capability (docs/adr/0022)."""

from collections.abc import Callable
from typing import Any

import pytest

from backend.errors import DomainError
from signals import services
from signals.models import Signal, SignalEvent
from tests.signals.factories import intake_input

NOT_FOUND = "not_found"  # Signal.DoesNotExist, which the API answers with 404


def _transition(w: Any, actor: Any) -> Any:
    return services.signal_transition(
        signal_id=w.signal.pk,
        actor=actor,
        to_status="contacted",
        expected_version=w.signal.version,
    )


def _assign(w: Any, actor: Any) -> Any:
    return services.signal_assign(
        signal_id=w.signal.pk, actor=actor, assignee_id=None, expected_version=w.signal.version
    )


def _forward(w: Any, actor: Any) -> Any:
    return services.signal_forward(
        signal_id=w.signal.pk,
        actor=actor,
        team_id=w.other_team.pk,
        expected_version=w.signal.version,
        reason="Past beter bij Oost.",
    )


def _note(w: Any, actor: Any) -> Any:
    return services.signal_note_add(signal_id=w.signal.pk, actor=actor, body="Gebeld.")


def _withdraw(w: Any, actor: Any) -> Any:
    return services.consent_withdraw(signal_id=w.signal.pk, actor=actor, reason="gebeld")


def _erase(w: Any, actor: Any) -> Any:
    return services.signal_personal_data_erase(signal_id=w.signal.pk, actor=actor, reason="x")


def _restrict(w: Any, actor: Any) -> Any:
    return services.signal_restrict(signal_id=w.signal.pk, actor=actor)


def _lift(w: Any, actor: Any) -> Any:
    return services.signal_restriction_lift(signal_id=w.signal.pk, actor=actor)


def _break_glass(w: Any, actor: Any) -> Any:
    return services.signal_break_glass_open(
        signal_id=w.signal.pk, actor=actor, reason="Bewoner belde ons team hierover."
    )


def _route(w: Any, actor: Any) -> Any:
    return services.signal_route(signal_id=w.signal.pk, actor=actor)


def _escalate(w: Any, actor: Any) -> Any:
    return services.signal_escalate(signal_id=w.signal.pk, actor=actor)


def _create(w: Any, actor: Any) -> Any:
    return services.signal_create(actor=actor, intake=intake_input())


# service -> (foreign team member, team role without a team, role without the capability)
PD = "permission_denied"
CASES: dict[str, tuple[Callable[..., Any], str, str, str]] = {
    "transition": (_transition, NOT_FOUND, NOT_FOUND, PD),
    "assign": (_assign, NOT_FOUND, NOT_FOUND, PD),
    "forward": (_forward, NOT_FOUND, NOT_FOUND, PD),
    "note_add": (_note, NOT_FOUND, NOT_FOUND, PD),
    "consent_withdraw": (_withdraw, NOT_FOUND, NOT_FOUND, PD),
    "personal_data_erase": (_erase, PD, PD, PD),
    "restrict": (_restrict, PD, PD, PD),
    "restriction_lift": (_lift, PD, PD, PD),
    # Break-glass is for people outside the team; the signaller has no such capability.
    "break_glass_open": (_break_glass, None, None, PD),
    "route": (_route, PD, PD, PD),
    "escalate": (_escalate, PD, PD, PD),
    "create": (_create, PD, PD, PD),
}
UNPRIVILEGED = {"create": "member", "consent_withdraw": "nobody"}


def _actor(world: Any, who: str) -> Any:
    if who == "nobody":
        from tests.factories import UserFactory

        return UserFactory()  # no role at all
    return getattr(world, who)


def _code(call: Callable[[], Any]) -> str:
    try:
        call()
    except Signal.DoesNotExist:
        return NOT_FOUND
    except DomainError as error:
        return error.code
    return "allowed"


WHO = ["foreign", "no_team", "unprivileged"]
# Break-glass exists for exactly a foreign or teamless reader (services/test_break_glass.py).
REFUSALS = [
    (service, who) for service in CASES for i, who in enumerate(WHO) if CASES[service][i + 1]
]


@pytest.mark.parametrize(("service", "who"), REFUSALS)
def test_a_service_refuses_an_actor_who_may_not_change_the_signal(world, service, who):
    call, *expected = CASES[service]
    index = WHO.index(who)
    name = UNPRIVILEGED.get(service, "field_worker") if who == "unprivileged" else who
    actor = _actor(world, name)
    if service == "restriction_lift":  # something to lift, so a wrong lift would show
        _restrict(world, world.officer)
    before = (world.refresh().version, SignalEvent.objects.count(), Signal.objects.count())

    assert _code(lambda: call(world, actor)) == expected[index]
    assert (world.refresh().version, SignalEvent.objects.count(), Signal.objects.count()) == before


@pytest.mark.parametrize("service", ["route", "escalate"])
def test_the_system_services_refuse_every_person_even_an_officer(world, service):
    call = CASES[service][0]
    assert _code(lambda: call(world, world.officer)) == PD
    assert _code(lambda: call(world, world.coordinator)) == PD


@pytest.mark.parametrize("service", ["transition", "assign", "forward", "note_add", "create"])
def test_no_actor_at_all_is_refused_not_taken_for_the_system(world, service):
    assert _code(lambda: CASES[service][0](world, None)) == PD


def _stale_forward(w: Any, actor: Any) -> Any:
    return services.signal_forward(
        signal_id=w.signal.pk,
        actor=actor,
        team_id=w.other_team.pk,
        expected_version=w.signal.version + 7,
        reason="Past beter bij Oost.",
    )


def _stale_assign_other(w: Any, actor: Any) -> Any:
    return services.signal_assign(
        signal_id=w.signal.pk,
        actor=actor,
        assignee_id=w.coordinator.pk,
        expected_version=w.signal.version + 7,
    )


@pytest.mark.parametrize("call", [_stale_forward, _stale_assign_other])
def test_a_non_coordinator_with_a_wrong_version_is_refused_before_learning_the_version(world, call):
    """Issue 18 part 7: authorisation before the version check; a 409 would carry the current
    version to someone who may not make the change at all (403 first)."""
    assert _code(lambda: call(world, world.member)) == "coordinator_required"
    assert _code(lambda: call(world, world.coordinator)) == "version_conflict"
