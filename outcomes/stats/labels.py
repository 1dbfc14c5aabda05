"""Words for the figures, in Dutch or English (Accept-Language): the labels of the table values
and of the charts. Vocabularies come from where they are declared (signals.models, the
instrument's bands); only what the figures add is written here."""

from django.utils import translation

from initiatives.models import ActivityKind
from outcomes.stats import facts
from signals.models import Outcome, Status, TargetGroup, Urgency

Text = tuple[str, str]

WORDS: dict[str, Text] = {
    facts.UNMAPPED: ("Buiten het gebied", "Outside the area"),
    facts.NONE: ("Geen", "None"),
    facts.DECLINED: ("Wilde niet meedoen", "Declined"),
    facts.INCOMPLETE: ("Onvolledig", "Incomplete"),
    "improved": ("Minder eenzaam", "Less lonely"),
    "unchanged": ("Gelijk", "Unchanged"),
    "worsened": ("Eenzamer", "More lonely"),
    "not_paired": ("Geen paar", "No pair"),
    "suppressed": ("onderdrukt", "suppressed"),
    "signals": ("Signalen", "Signals"),
    "connections": ("Verbonden", "Connected"),
    "baseline": ("Nulmeting", "Baseline"),
    "follow_up": ("Vervolgmeting", "Follow-up"),
    "grid_title": (
        "Signalen en verbindingen per wijk per maand",
        "Signals and connections per wijk per month",
    ),
    "score_title": (
        "Eenzaamheidsscore (De Jong Gierveld, 0-6) bij nulmeting en vervolgmeting",
        "Loneliness score (De Jong Gierveld, 0-6) at baseline and follow-up",
    ),
    "score_axis": ("Totaalscore", "Total score"),
    "suppressed_note": (
        "Gearceerd: minder dan {n} of nodig om een klein aantal te beschermen",
        "Hatched: fewer than {n}, or hidden to protect a small count",
    ),
}
# English labels of the vocabularies whose declared labels are Dutch.
ENGLISH: dict[str, str] = {
    **{value: value.replace("_", " ").capitalize() for value in Status.values},
    **{value: value.replace("_", " ").capitalize() for value in Outcome.values},
    **{value: value.replace("_", " ").capitalize() for value in TargetGroup.values},
    **{value: value.replace("_", " ").capitalize() for value in Urgency.values},
    **{value: value.replace("_", " ").capitalize() for value in ActivityKind.values},
}
CHOICES = {
    "status": dict(Status.choices),
    "outcome": dict(Outcome.choices),
    "target_group": dict(TargetGroup.choices),
    "urgency": dict(Urgency.choices),
    "kind": dict(ActivityKind.choices),
}


def english() -> bool:
    return (translation.get_language() or "nl")[:2] == "en"


def word(key: str, **params: object) -> str:
    nl, en = WORDS[key]
    return (en if english() else nl).format(**params)


def label(table: str, value: str, wijk_names: dict[str, str]) -> str:
    """The label of one value of one table."""
    if value in WORDS:
        return word(value)
    if table == "wijk":
        return wijk_names.get(value, value)
    if table in CHOICES:
        return ENGLISH[value] if english() else str(CHOICES[table].get(value, value))
    return value
