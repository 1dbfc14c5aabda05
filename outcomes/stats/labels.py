"""Words for the figures, in Dutch or English (Accept-Language): the labels of the table values
and of the charts. Vocabularies come from where they are declared (signals.models, the
instrument's bands); only what the figures add is written here."""

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from backend.i18n import is_english
from initiatives.models import ActivityKind
from outcomes.stats import facts
from signals.models import Outcome, Status, TargetGroup, Urgency

WORDS: dict[str, Promise] = {
    facts.UNMAPPED: pgettext_lazy("figures", "Outside the area"),
    facts.NONE: pgettext_lazy("figures", "None"),
    facts.DECLINED: pgettext_lazy("figures", "Declined"),
    facts.INCOMPLETE: pgettext_lazy("figures", "Incomplete"),
    "improved": pgettext_lazy("figures", "Less lonely"),
    "unchanged": pgettext_lazy("figures", "Unchanged"),
    "worsened": pgettext_lazy("figures", "More lonely"),
    "not_paired": pgettext_lazy("figures", "No pair"),
    "suppressed": pgettext_lazy("figures", "suppressed"),
    "signals": pgettext_lazy("figures", "Signals"),
    "connections": pgettext_lazy("figures", "Connected"),
    "baseline": pgettext_lazy("figures", "Baseline"),
    "follow_up": pgettext_lazy("figures", "Follow-up"),
    "grid_title": pgettext_lazy("figures", "Signals and connections per wijk per month"),
    "score_title": pgettext_lazy(
        "figures", "Loneliness score (De Jong Gierveld, 0-6) at baseline and follow-up"
    ),
    "score_axis": pgettext_lazy("figures", "Total score"),
    "suppressed_note": pgettext_lazy(
        "figures", "Hatched: fewer than {n}, or hidden to protect a small count"
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


def word(key: str, **params: object) -> str:
    return str(WORDS[key]).format(**params)


def label(table: str, value: str, wijk_names: dict[str, str]) -> str:
    """The label of one value of one table."""
    if value in WORDS:
        return word(value)
    if table == "wijk":
        return wijk_names.get(value, value)
    if table in CHOICES:
        return ENGLISH[value] if is_english() else str(CHOICES[table].get(value, value))
    return value
