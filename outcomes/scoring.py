"""Scoring an instrument's answers, purely: no database, no clock (docs/adr/0030).

The rules are the instrument's data (outcomes.models): each answer option carries its points
on its item, each item belongs to a subscale, bands name ranges of the total. For the De Jong
Gierveld 6-item scale the seed migration writes the manual's rules as that data: an emotional
item counts 1 for "yes" or "more or less", a social item 1 for "no" or "more or less"; the
sub-scores run 0-3 and the total 0-6; 0-1 is not lonely, 2-4 moderately, 5-6 severely lonely.
A measurement with a missing item has no total (and no band); a subscale with a missing item
has no sub-score."""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemSpec:
    code: str
    subscale: str
    points: Mapping[str, int]  # option code -> points on this item


@dataclass(frozen=True)
class BandSpec:
    code: str
    low: int
    high: int


@dataclass(frozen=True)
class InstrumentSpec:
    code: str
    version: str
    subscales: tuple[str, ...]
    items: tuple[ItemSpec, ...]
    bands: tuple[BandSpec, ...]

    @property
    def max_total(self) -> int:
        return sum(max(item.points.values()) for item in self.items)


@dataclass(frozen=True)
class Score:
    subscores: Mapping[str, int | None]
    total: int | None
    band: str | None
    missing: tuple[str, ...]  # item codes not answered


class UnknownAnswer(ValueError):
    """An item or option code the instrument does not have."""


def check_answers(spec: InstrumentSpec, answers: Mapping[str, str]) -> None:
    """Refuses an item the instrument does not ask or an option the item does not offer."""
    items = {item.code: item for item in spec.items}
    for code, option in answers.items():
        if code not in items:
            raise UnknownAnswer(f"unknown item {code!r}")
        if option not in items[code].points:
            raise UnknownAnswer(f"item {code!r} has no option {option!r}")


def score(spec: InstrumentSpec, answers: Mapping[str, str]) -> Score:
    """The sub-scores, total and band of `answers` ({item code: option code}) on `spec`."""
    check_answers(spec, answers)
    missing = tuple(item.code for item in spec.items if item.code not in answers)
    subscores: dict[str, int | None] = {}
    for subscale in spec.subscales:
        items = [item for item in spec.items if item.subscale == subscale]
        if any(item.code in missing for item in items):
            subscores[subscale] = None
        else:
            subscores[subscale] = sum(item.points[answers[item.code]] for item in items)
    total = None if missing else sum(value or 0 for value in subscores.values())
    band = None
    if total is not None:
        band = next((b.code for b in spec.bands if b.low <= total <= b.high), None)
    return Score(subscores=subscores, total=total, band=band, missing=missing)
