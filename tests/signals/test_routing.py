"""Every routing branch: mapped buurt, rule override, uncovered buurt, unknown address,
forwarded, and no team at all."""

import pytest

from accounts.actors import SYSTEM
from accounts.models import AddressPoint, Team
from signals.models import ReasonCode, RoutingRule, SignalEvent, Status
from signals.services import signal_route
from tests.factories import NeighbourhoodFactory, TeamFactory
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def binnenstad() -> Team:
    return team_with_coverage("Buurtteam Binnenstad", postcode="3511AB")


@pytest.fixture
def central() -> Team:
    return TeamFactory(name="Centraal team", is_central=True)


def routed_event(signal) -> SignalEvent:
    return signal.events.get(type=SignalEvent.Type.ROUTED)


def test_mapped_buurt_goes_to_the_covering_team(binnenstad, central):
    signal = make_signal()
    routed = signal_route(actor=SYSTEM, signal_id=signal.pk)
    assert routed.status == Status.ROUTED
    assert routed.team == binnenstad
    assert (
        routed.neighbourhood.code
        == AddressPoint.objects.get(postcode="3511AB", house_number=3).neighbourhood.code
    )
    assert routed.acknowledge_due_at and routed.first_contact_due_at
    assert routed.due_at == routed.acknowledge_due_at
    event = routed_event(routed)
    assert event.data == {
        "team_id": str(binnenstad.pk),
        "reason": "coverage",
        "rule_id": None,
        "forwarded": False,
    }
    assert (event.from_status, event.to_status) == (Status.RECEIVED, Status.ROUTED)


def test_house_number_decides_when_a_postcode_crosses_buurt_borders(binnenstad, central):
    other_buurt = NeighbourhoodFactory()
    AddressPoint.objects.filter(postcode="3511AB", house_number__gte=11).update(
        neighbourhood=other_buurt
    )
    other_team = TeamFactory(name="Buurtteam Oost")
    other_team.coverage.create(neighbourhood=other_buurt)
    low = signal_route(actor=SYSTEM, signal_id=make_signal().pk)
    high = signal_route(
        actor=SYSTEM, signal_id=make_signal(address={"postcode": "3511AB", "house_number": 12}).pk
    )
    assert low.team == binnenstad
    assert high.team == other_team


def test_rule_overrides_coverage(binnenstad, central):
    language_team = TeamFactory(name="Team Arabisch")
    RoutingRule.objects.create(
        name="Arabisch sprekend", position=1, language="ar", team=language_team
    )
    signal = signal_route(actor=SYSTEM, signal_id=make_signal(preferred_language="ar").pk)
    assert signal.team == language_team
    assert routed_event(signal).data["reason"] == "rule"
    assert signal.routing_rule.name == "Arabisch sprekend"


def test_rules_are_tried_in_order_and_all_conditions_must_match(binnenstad, central):
    young = TeamFactory(name="Jongerenwerk")
    grief = TeamFactory(name="Rouwgroep")
    RoutingRule.objects.create(
        name="rouw urgent",
        position=1,
        team=grief,
        urgency="urgent",
        reason=ReasonCode.objects.get(code="lost_partner"),
    )
    RoutingRule.objects.create(name="jongeren", position=2, team=young, target_group="young_adult")
    assert (
        signal_route(
            actor=SYSTEM,
            signal_id=make_signal(target_group="young_adult", reasons=["lost_partner"]).pk,
        ).team
        == young
    )
    assert (
        signal_route(
            actor=SYSTEM,
            signal_id=make_signal(
                urgency="urgent", reasons=["lost_partner"], target_group="young_adult"
            ).pk,
        ).team
        == grief
    )
    assert signal_route(actor=SYSTEM, signal_id=make_signal().pk).team == binnenstad


def test_inactive_rule_is_ignored(binnenstad, central):
    RoutingRule.objects.create(name="uit", position=1, is_active=False, team=TeamFactory())
    assert signal_route(actor=SYSTEM, signal_id=make_signal().pk).team == binnenstad


def test_rule_limited_to_a_wijk_does_not_match_elsewhere(binnenstad, central):
    RoutingRule.objects.create(
        name="andere wijk", position=1, wijk_code="WK999999", team=TeamFactory()
    )
    assert signal_route(actor=SYSTEM, signal_id=make_signal().pk).team == binnenstad


def test_uncovered_buurt_goes_to_the_central_team(binnenstad, central):
    binnenstad.coverage.all().delete()
    signal = signal_route(actor=SYSTEM, signal_id=make_signal().pk)
    assert signal.team == central
    assert signal.neighbourhood is not None
    assert routed_event(signal).data["reason"] == "uncovered_buurt"


def test_unknown_address_goes_to_the_central_team(binnenstad, central):
    signal = signal_route(
        actor=SYSTEM, signal_id=make_signal(address={"postcode": "9999ZZ", "house_number": 1}).pk
    )
    assert signal.team == central
    assert signal.neighbourhood is None
    assert routed_event(signal).data["reason"] == "unknown_address"


def test_only_the_active_mapping_version_counts(binnenstad, central):
    from accounts.neighbourhood_import import mapping_version_activate
    from tests.factories import MappingVersionFactory

    mapping_version_activate(version=MappingVersionFactory(label="2025", is_active=False))
    signal = signal_route(actor=SYSTEM, signal_id=make_signal().pk)
    assert signal.team == central


def test_without_any_team_routing_fails_loudly_once(binnenstad):
    binnenstad.coverage.all().delete()
    signal = make_signal()
    signal_route(actor=SYSTEM, signal_id=signal.pk)
    signal_route(actor=SYSTEM, signal_id=signal.pk)
    signal.refresh_from_db()
    assert signal.status == Status.RECEIVED
    assert signal.events.filter(type=SignalEvent.Type.ROUTING_FAILED).count() == 1


def test_routing_twice_routes_once(binnenstad, central):
    signal = make_signal()
    signal_route(actor=SYSTEM, signal_id=signal.pk)
    signal_route(actor=SYSTEM, signal_id=signal.pk)
    assert signal.events.filter(type=SignalEvent.Type.ROUTED).count() == 1


def test_routing_a_withdrawn_signal_does_nothing(binnenstad, central):
    from signals.services import consent_withdraw

    signal = make_signal()
    consent_withdraw(signal_id=signal.pk, actor=signal.created_by)
    assert signal_route(actor=SYSTEM, signal_id=signal.pk).status == Status.WITHDRAWN
    assert not signal.events.filter(type=SignalEvent.Type.ROUTED).exists()
