"""Where a signal should go. Reads only; the routing service applies the decision."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from accounts.models import AddressPoint, MappingVersion, Neighbourhood, Team
from signals.models import RoutingRule, Signal


@dataclass(frozen=True)
class RouteDecision:
    team: Team | None
    reason: str  # rule | coverage | uncovered_buurt | unknown_address
    neighbourhood: Neighbourhood | None = None
    mapping_version: MappingVersion | None = None
    rule: RoutingRule | None = None


def locate(signal: Signal) -> tuple[Neighbourhood | None, MappingVersion | None]:
    """Address to buurt through the active versioned table; no outside geocoder. One query
    when the address is in the table (nearly always); the version alone is read on a miss."""
    if signal.postcode and signal.house_number is not None:
        point = (
            AddressPoint.objects.select_related("neighbourhood", "mapping_version")
            .filter(
                mapping_version__is_active=True,
                postcode=signal.postcode,
                house_number=signal.house_number,
            )
            .first()
        )
        if point is not None:
            return point.neighbourhood, point.mapping_version
    return None, MappingVersion.objects.filter(is_active=True).first()


def _rule_matches(
    rule: RoutingRule,
    signal: Signal,
    reason_ids: Callable[[], set[int]],
    neighbourhood: Neighbourhood | None,
) -> bool:
    if rule.target_group and rule.target_group != signal.target_group:
        return False
    if rule.language and rule.language != signal.preferred_language:
        return False
    if rule.urgency and rule.urgency != signal.urgency:
        return False
    if rule.reason_id and rule.reason_id not in reason_ids():
        return False
    if rule.wijk_code and (neighbourhood is None or neighbourhood.wijk_code != rule.wijk_code):
        return False
    return not (
        rule.municipality_code
        and (neighbourhood is None or neighbourhood.municipality_code != rule.municipality_code)
    )


def decide(signal: Signal) -> RouteDecision:
    """The first matching rule, else the team covering the buurt, else the central team. Reads
    the signal's reasons only when a rule asks for one, and the central team only when needed
    (docs/performance.md: statements per routed signal)."""
    neighbourhood, version = locate(signal)
    reason_ids = cache(lambda: set(signal.reasons.values_list("id", flat=True)))
    rules = RoutingRule.objects.filter(is_active=True, team__is_active=True).select_related("team")
    for rule in rules:
        if _rule_matches(rule, signal, reason_ids, neighbourhood):
            return RouteDecision(rule.team, "rule", neighbourhood, version, rule)
    if neighbourhood is None:
        return RouteDecision(_central(), "unknown_address", None, version)
    covering = Team.objects.filter(coverage__neighbourhood=neighbourhood, is_active=True).first()
    if covering is None:
        return RouteDecision(_central(), "uncovered_buurt", neighbourhood, version)
    return RouteDecision(covering, "coverage", neighbourhood, version)


def _central() -> Team | None:
    return Team.objects.filter(is_central=True, is_active=True).first()
