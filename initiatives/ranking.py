"""Ranking initiatives for one signal. Pure: plain values in, ordered explanations out, so the
order can be tested on fixed cases (tests/initiatives/test_ranking.py, docs/adr/0026).

Each criterion has a weight; an item's score is the sum of the weights it meets, and every
item lists which criteria matched and which did not. Coverage counts once, at its best level
(same buurt, same wijk, citywide); an initiative that covers none of them is left out, and so
is an inactive one. Ties go by name, then id, so the order is total."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

COVERAGE_WEIGHTS = {"same_buurt": 30, "same_wijk": 20, "citywide": 10}
WEIGHTS = {
    "target_group": 20,
    "reasons": 15,  # per matching reason, at most two
    "language": 10,
    "accepting_new": 10,
    "step_free": 3,
    "transport_offered": 3,
    "free": 2,
}
MAX_REASON_MATCHES = 2

# Each criterion in words, for the desk (docs/adr/0049). "language" and "reasons" name the
# resident's language and the matching reasons where they are known (initiatives.explain).
CRITERION_LABELS = {
    "same_buurt": _("same buurt"),
    "same_wijk": _("same wijk"),
    "citywide": _("citywide"),
    "target_group": _("for this target group"),
    "reasons": _("the reasons given"),
    "language": _("speaks the resident's language"),
    "accepting_new": _("takes new people"),
    "step_free": _("step-free access"),
    "transport_offered": _("transport offered"),
    "free": _("free of charge"),
}
SPEAKS = pgettext_lazy("suggestion criterion, the resident's language", "speaks %(language)s")
SAME_REASONS = pgettext_lazy("suggestion criterion, the matching reasons", "fits: %(reasons)s")


@dataclass(frozen=True)
class Need:
    """What the signal asks for, as codes only."""

    buurt_code: str
    wijk_code: str
    target_group: str
    reasons: frozenset[str]
    language: str


@dataclass(frozen=True)
class Offer:
    id: str
    name: str
    is_active: bool
    citywide: bool
    buurt_codes: frozenset[str]
    wijk_codes: frozenset[str]
    target_groups: frozenset[str]
    reasons: frozenset[str]
    languages: frozenset[str]
    accepting_new: bool
    step_free: bool = False
    transport_offered: bool = False
    free: bool = False


@dataclass(frozen=True)
class Suggestion:
    offer: Offer
    score: int
    matched: tuple[str, ...]
    unmatched: tuple[str, ...]
    matched_reasons: tuple[str, ...] = field(default=())


def coverage(need: Need, offer: Offer) -> str | None:
    if need.buurt_code and need.buurt_code in offer.buurt_codes:
        return "same_buurt"
    if need.wijk_code and need.wijk_code in offer.wijk_codes:
        return "same_wijk"
    if offer.citywide:
        return "citywide"
    return None


def score(need: Need, offer: Offer) -> Suggestion | None:
    """The suggestion for one offer, or None when it must not appear (inactive, no coverage)."""
    level = coverage(need, offer)
    if not offer.is_active or level is None:
        return None
    points = COVERAGE_WEIGHTS[level]
    matched, unmatched = [level], []
    reasons = tuple(sorted(need.reasons & offer.reasons))
    checks = {
        "target_group": need.target_group in offer.target_groups,
        "reasons": bool(reasons),
        "language": not need.language or need.language in offer.languages,
        "accepting_new": offer.accepting_new,
        "step_free": offer.step_free,
        "transport_offered": offer.transport_offered,
        "free": offer.free,
    }
    for criterion, met in checks.items():
        if not met:
            unmatched.append(criterion)
            continue
        matched.append(criterion)
        weight = WEIGHTS[criterion]
        points += (
            weight * min(len(reasons), MAX_REASON_MATCHES) if criterion == "reasons" else weight
        )
    return Suggestion(
        offer=offer,
        score=points,
        matched=tuple(matched),
        unmatched=tuple(unmatched),
        matched_reasons=reasons,
    )


def rank(need: Need, offers: Iterable[Offer], *, limit: int | None = None) -> Sequence[Suggestion]:
    """Suggestions best first: score descending, then name, then id."""
    found = [s for s in (score(need, offer) for offer in offers) if s is not None]
    found.sort(key=lambda s: (-s.score, s.offer.name.casefold(), s.offer.id))
    return found[:limit] if limit else found
