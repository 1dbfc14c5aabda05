"""Where a signal should go. Reads only; the routing service applies the decision."""

from dataclasses import dataclass

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
    """Address to buurt through the active versioned table; no outside geocoder."""
    version = MappingVersion.objects.filter(is_active=True).first()
    if version is None or not signal.postcode or signal.house_number is None:
        return None, version
    point = (
        AddressPoint.objects.select_related("neighbourhood")
        .filter(mapping_version=version, postcode=signal.postcode, house_number=signal.house_number)
        .first()
    )
    return (point.neighbourhood if point else None), version


def _rule_matches(
    rule: RoutingRule, signal: Signal, reason_ids: set[int], neighbourhood: Neighbourhood | None
) -> bool:
    if rule.target_group and rule.target_group != signal.target_group:
        return False
    if rule.language and rule.language != signal.preferred_language:
        return False
    if rule.urgency and rule.urgency != signal.urgency:
        return False
    if rule.reason_id and rule.reason_id not in reason_ids:
        return False
    if rule.wijk_code and (neighbourhood is None or neighbourhood.wijk_code != rule.wijk_code):
        return False
    return not (
        rule.municipality_code
        and (neighbourhood is None or neighbourhood.municipality_code != rule.municipality_code)
    )


def decide(signal: Signal) -> RouteDecision:
    neighbourhood, version = locate(signal)
    reason_ids = set(signal.reasons.values_list("id", flat=True))
    rules = RoutingRule.objects.filter(is_active=True, team__is_active=True).select_related("team")
    for rule in rules:
        if _rule_matches(rule, signal, reason_ids, neighbourhood):
            return RouteDecision(rule.team, "rule", neighbourhood, version, rule)
    central = Team.objects.filter(is_central=True, is_active=True).first()
    if neighbourhood is None:
        return RouteDecision(central, "unknown_address", None, version)
    covering = Team.objects.filter(coverage__neighbourhood=neighbourhood, is_active=True).first()
    if covering is None:
        return RouteDecision(central, "uncovered_buurt", neighbourhood, version)
    return RouteDecision(covering, "coverage", neighbourhood, version)
