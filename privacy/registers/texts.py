"""The prose of the registers: what the code cannot say about itself (the processing activity,
its legal basis, the recipients). Interface text: gettext, context "processing register", read
in the active language when a register is built. Maintained with the code (docs/adr/0013,
docs/adr/0040)."""

from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

from signals.models import ConsentPurpose

# The register's description of each consent purpose (signals.models.ConsentPurpose).
CONSENT_PURPOSES: dict[str, Promise] = {
    ConsentPurpose.TEAM_CONTACT: pgettext_lazy(
        "processing register",
        "Contact by the neighbourhood team to look together at what could help",
    ),
    ConsentPurpose.SHARE_WITH_INITIATIVE: pgettext_lazy(
        "processing register", "Passing on to the named local initiatives"
    ),
    ConsentPurpose.MEASURE_OUTCOME: pgettext_lazy(
        "processing register",
        "Asking the six questions of the De Jong Gierveld scale at first contact and later, to "
        "measure whether the help leaves the resident more connected; the answers count only "
        "anonymously in figures",
    ),
}


def purpose_description(code: str) -> str:
    """The consent purpose in the request's language; an unknown code as itself."""
    return str(CONSENT_PURPOSES[code]) if code in CONSENT_PURPOSES else code


MEASUREMENT_ANSWERS: Promise = pgettext_lazy(
    "processing register",
    "answers to the De Jong Gierveld loneliness scale (special-category data, art. 9)",
)

PROCESSING_ACTIVITY: Promise = pgettext_lazy(
    "processing register",
    "Buurtsignaal: recording, with a resident's consent, a signal that the resident may "
    "want more connection, routing it to the neighbourhood team and following it up.",
)

LEGAL_BASIS: Promise = pgettext_lazy(
    "processing register",
    "Each processing activity has its own lawful basis (see the lawful bases per activity): "
    "the municipality's task under the Wmo 2015 for intake and follow-up, consent only for "
    "the handover to initiatives and the questions on connection.",
)

DATA_SUBJECT_RESIDENT: Promise = pgettext_lazy(
    "processing register", "residents a signal was recorded about (pseudonymous subject id)"
)
DATA_SUBJECT_STAFF: Promise = pgettext_lazy("processing register", "users of the platform")

SPECIAL_CATEGORIES: Promise = pgettext_lazy(
    "processing register",
    "The observation and team notes may hold data about health, mood or grief, the answers "
    "to the six questions always do (art. 9): processed on the art. 9 basis given per "
    "activity.",
)

NOT_COLLECTED: list[Promise] = [
    pgettext_lazy("processing register", "BSN"),
    pgettext_lazy("processing register", "date of birth"),
    pgettext_lazy("processing register", "full name"),
]

RECIPIENTS: dict[str, Promise] = {
    "neighbourhood_team": pgettext_lazy(
        "processing register", "the neighbourhood team covering the buurt (or the central team)"
    ),
    "initiative": pgettext_lazy(
        "processing register", "local initiatives, only with the resident's consent per initiative"
    ),
    "signaller": pgettext_lazy(
        "processing register", "the signaller sees only the status of their own signal"
    ),
}

PUSH_TRANSFER: Promise = pgettext_lazy(
    "processing register",
    "only an event type, an opaque id and a generic text; no names, addresses or content",
)


def retention_rule(days: int | None) -> str:
    """What happens to an ended signal's personal data after `days` (None: no period set)."""
    if days is None:
        return pgettext("processing register", "no period configured: kept until one is configured")
    return pgettext("processing register", "personal data erased {days} days after the end").format(
        days=days
    )


RETENTION_OPEN: Promise = pgettext_lazy("processing register", "kept while the signal is open")
RETENTION_RESTRICTED: Promise = pgettext_lazy(
    "processing register",
    "while restricted (art. 18) nothing is erased until the restriction is lifted",
)
RETENTION_ACCESS_LOG: Promise = pgettext_lazy(
    "processing register", "unlimited, append-only (NEN 7513); archiving is future work"
)
