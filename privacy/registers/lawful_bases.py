"""The lawful basis of every processing activity (AVG art. 6, art. 9 where special-category
data is involved, and the Dutch law it rests on), declared once for the processing register,
the resident's export and docs/privacy.md (docs/adr/0033).

The activities and whether consent is their basis are the code's: consent stays the basis of
the handover to an initiative and of the outcome questions, and it is never the basis of the
municipality's own task (the Dutch data protection authority: in the social domain consent
cannot replace a missing legal basis). The articles and the laws cited are the deployment's:
a controller's lawyer may cite them differently, so a TOML file named by
PRIVACY_LAWFUL_BASES_FILE overrides them per activity; `manage.py check` refuses a file that
names an unknown activity or key, gives an activity another kind of basis than the code's, or
cites an article that does not exist (privacy.E001)."""

import tomllib
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from backend.i18n import in_language


class Activity(StrEnum):
    INTAKE_AND_ROUTING = "intake_and_routing"
    TEAM_FOLLOW_UP = "team_follow_up"
    INITIATIVE_HANDOVER = "initiative_handover"
    OUTCOME_MEASUREMENT = "outcome_measurement"
    ANONYMOUS_FIGURES = "anonymous_figures"
    ACCESS_LOGGING = "access_logging"
    RETENTION = "retention"


# AVG art. 6(1) and art. 9(2): the points a basis may cite.
ART6_POINTS: dict[str, Promise] = {
    "a": pgettext_lazy("processing register", "consent"),
    "b": pgettext_lazy("processing register", "contract"),
    "c": pgettext_lazy("processing register", "legal obligation"),
    "d": pgettext_lazy("processing register", "vital interests"),
    "e": pgettext_lazy("processing register", "task in the public interest"),
    "f": pgettext_lazy("processing register", "legitimate interests"),
}
ART9_POINTS: dict[str, Promise] = {
    "a": pgettext_lazy("processing register", "explicit consent"),
    "b": pgettext_lazy("processing register", "employment and social protection law"),
    "c": pgettext_lazy("processing register", "vital interests"),
    "d": pgettext_lazy("processing register", "foundation or association"),
    "e": pgettext_lazy("processing register", "manifestly made public"),
    "f": pgettext_lazy("processing register", "legal claims"),
    "g": pgettext_lazy("processing register", "substantial public interest"),
    "h": pgettext_lazy("processing register", "health or social care"),
    "i": pgettext_lazy("processing register", "public health"),
    "j": pgettext_lazy("processing register", "archiving, research and statistics"),
}
CONSENT = "a"


@dataclass(frozen=True)
class LawfulBasis:
    activity: Activity
    description: Promise
    art6: str
    art9: str  # "" where no special-category data is processed
    # The Dutch law (or the reason there is none) the basis rests on, as (nl, en): data, since a
    # deployment may override it (law_nl, law_en).
    law: tuple[str, str]
    consent_based: bool

    def as_data(self) -> dict[str, Any]:
        """The basis in the active language, for the registers and the export."""
        return {
            "activity": self.activity.value,
            "description": str(self.description),
            "consent_based": self.consent_based,
            "gdpr_art6": f"6(1)({self.art6})",
            "gdpr_art6_ground": str(ART6_POINTS[self.art6]),
            "gdpr_art9": f"9(2)({self.art9})" if self.art9 else None,
            "gdpr_art9_ground": str(ART9_POINTS[self.art9]) if self.art9 else None,
            "national_law": in_language(*self.law),
        }


# The defaults: what a Dutch municipality that runs Buurtsignaal through its neighbourhood
# teams would cite. They are a starting point for the controller's DPIA, not legal advice.
DEFAULTS: dict[Activity, LawfulBasis] = {
    basis.activity: basis
    for basis in [
        LawfulBasis(
            Activity.INTAKE_AND_ROUTING,
            pgettext_lazy(
                "processing register",
                "Recording a signal and routing it to the buurt's neighbourhood team",
            ),
            art6="e",
            art9="h",
            law=(
                "Wmo 2015 art. 2.1.1, 2.2.1 en 2.3.2 (melding, vroegsignalering) en art. 5.1.1 "
                "(verwerking door het college); UAVG art. 30 lid 3",
                "Wmo 2015 art. 2.1.1, 2.2.1 and 2.3.2 (notification, early signalling) and "
                "art. 5.1.1 (processing by the municipal executive); UAVG art. 30(3)",
            ),
            consent_based=False,
        ),
        LawfulBasis(
            Activity.TEAM_FOLLOW_UP,
            pgettext_lazy(
                "processing register",
                "Follow-up by the neighbourhood team: contact, assessment, notes",
            ),
            art6="e",
            art9="h",
            law=(
                "Wmo 2015 art. 2.3.2 (onderzoek na melding) en art. 5.1.1; UAVG art. 30 lid 3",
                "Wmo 2015 art. 2.3.2 (assessment after a notification) and art. 5.1.1; "
                "UAVG art. 30(3)",
            ),
            consent_based=False,
        ),
        LawfulBasis(
            Activity.INITIATIVE_HANDOVER,
            pgettext_lazy(
                "processing register",
                "Handing contact details to the initiatives the resident names",
            ),
            art6=CONSENT,
            art9="",
            law=(
                "geen wettelijke taak: alleen met toestemming van de bewoner, per initiatief "
                "(AVG art. 7)",
                "no statutory task: only with the resident's consent, per initiative (GDPR art. 7)",
            ),
            consent_based=True,
        ),
        LawfulBasis(
            Activity.OUTCOME_MEASUREMENT,
            pgettext_lazy(
                "processing register",
                "Asking the six De Jong Gierveld questions and keeping the answers",
            ),
            art6=CONSENT,
            art9=CONSENT,
            law=(
                "geen wettelijke taak: alleen met uitdrukkelijke toestemming van de bewoner "
                "(AVG art. 7)",
                "no statutory task: only with the resident's explicit consent (GDPR art. 7)",
            ),
            consent_based=True,
        ),
        LawfulBasis(
            Activity.ANONYMOUS_FIGURES,
            pgettext_lazy(
                "processing register", "Anonymous figures per period for teams and the municipality"
            ),
            art6="e",
            art9="j",
            law=(
                "Wmo 2015 art. 2.1.2 (beleidsplan en evaluatie); AVG art. 89 en UAVG art. 24 "
                "(statistiek)",
                "Wmo 2015 art. 2.1.2 (policy plan and its evaluation); GDPR art. 89 and UAVG "
                "art. 24 (statistics)",
            ),
            consent_based=False,
        ),
        LawfulBasis(
            Activity.ACCESS_LOGGING,
            pgettext_lazy(
                "processing register", "Recording who read or changed which data (access log)"
            ),
            art6="c",
            art9="",
            law=(
                "AVG art. 5 lid 2 en 32 (verantwoording, beveiliging); Baseline "
                "Informatiebeveiliging Overheid (logging); NEN 7513 als norm",
                "GDPR art. 5(2) and 32 (accountability, security); Baseline Informatiebeveiliging "
                "Overheid (logging); NEN 7513 as the standard",
            ),
            consent_based=False,
        ),
        LawfulBasis(
            Activity.RETENTION,
            pgettext_lazy("processing register", "Keeping data and erasing it after the period"),
            art6="c",
            art9="",
            law=(
                "AVG art. 5 lid 1 sub e (opslagbeperking); Archiefwet 1995 art. 3 en 5 met de "
                "Selectielijst gemeenten",
                "GDPR art. 5(1)(e) (storage limitation); Archiefwet 1995 art. 3 and 5 with the "
                "municipalities' selection list",
            ),
            consent_based=False,
        ),
    ]
}

OVERRIDABLE = ("art6", "art9", "law_nl", "law_en")


def _overrides() -> dict[str, Any]:
    path = settings.PRIVACY_LAWFUL_BASES_FILE
    if not path:
        return {}
    with Path(path).open("rb") as file:
        return tomllib.load(file)


def _problems(overrides: dict[str, Any]) -> list[str]:
    problems = []
    for name, table in overrides.items():
        if name not in Activity.__members__.values():
            problems.append(f"unknown activity {name!r}")
            continue
        if not isinstance(table, dict):
            problems.append(f"{name}: expected a table")
            continue
        basis = DEFAULTS[Activity(name)]
        for key, value in table.items():
            if key not in OVERRIDABLE or not isinstance(value, str):
                problems.append(f"{name}.{key}: unknown key or not a string")
        art6 = table.get("art6", basis.art6)
        art9 = table.get("art9", basis.art9)
        if art6 not in ART6_POINTS or (art9 and art9 not in ART9_POINTS):
            problems.append(f"{name}: no such article point (art6 {art6!r}, art9 {art9!r})")
        elif (art6 == CONSENT) != basis.consent_based:
            kind = "must be" if basis.consent_based else "cannot be"
            problems.append(f"{name}: consent (art6 'a') {kind} its basis")
        elif art9 == CONSENT and not basis.consent_based:
            problems.append(f"{name}: explicit consent (art9 'a') cannot be its basis")
    return problems


def lawful_bases() -> list[LawfulBasis]:
    """Every processing activity with its basis: the defaults, overridden by the deployment's
    file. An invalid file is refused at start by the check below; here it raises."""
    overrides = _overrides()
    problems = _problems(overrides)
    if problems:
        raise ValueError("; ".join(problems))
    bases = []
    for activity, basis in DEFAULTS.items():
        table = overrides.get(activity.value, {})
        law = (table.get("law_nl", basis.law[0]), table.get("law_en", basis.law[1]))
        bases.append(
            replace(
                basis,
                art6=table.get("art6", basis.art6),
                art9=table.get("art9", basis.art9),
                law=law,
            )
        )
    return bases


def lawful_bases_data() -> list[dict[str, Any]]:
    """The table of lawful bases in the active language."""
    return [basis.as_data() for basis in lawful_bases()]


@register()
def lawful_bases_file(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """privacy.E001: the deployment's file of lawful bases cannot be read or is invalid."""
    try:
        problems = _problems(_overrides())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        problems = [str(exc)]
    return [
        Error(
            f"PRIVACY_LAWFUL_BASES_FILE: {problem}",
            hint="See docs/privacy.md, 'Lawful bases', for the keys.",
            id="privacy.E001",
        )
        for problem in problems
    ]
