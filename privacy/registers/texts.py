"""The prose of the registers, in Dutch and English: what the code cannot say about itself
(the processing activity, its legal basis, the recipients). Each text is an (nl, en) pair,
localised when a register is built. Maintained with the code (docs/adr/0013)."""

from django.utils import translation

from signals.models import ConsentPurpose

Text = tuple[str, str]


def localised(text: Text) -> str:
    """The text in the active language: English for `en`, Dutch otherwise."""
    nl, en = text
    return en if (translation.get_language() or "nl")[:2] == "en" else nl


# The register's description of each consent purpose (signals.models.ConsentPurpose).
CONSENT_PURPOSES: dict[str, Text] = {
    ConsentPurpose.TEAM_CONTACT: (
        "Contact door het buurtteam om samen te kijken wat kan helpen",
        "Contact by the neighbourhood team to look together at what could help",
    ),
    ConsentPurpose.SHARE_WITH_INITIATIVE: (
        "Doorgeven aan de genoemde lokale initiatieven",
        "Passing on to the named local initiatives",
    ),
    ConsentPurpose.MEASURE_OUTCOME: (
        "Bij het eerste contact en later de zes vragen van de De Jong Gierveld-schaal stellen, "
        "om te meten of de hulp de bewoner meer verbinding geeft; de antwoorden tellen alleen "
        "anoniem mee in cijfers",
        "Asking the six questions of the De Jong Gierveld scale at first contact and later, to "
        "measure whether the help leaves the resident more connected; the answers count only "
        "anonymously in figures",
    ),
}


def purpose_description(code: str) -> str:
    """The consent purpose in the request's language; an unknown code as itself."""
    return localised(CONSENT_PURPOSES[code]) if code in CONSENT_PURPOSES else code


NOTE_BODY: Text = ("notities van het buurtteam", "neighbourhood team notes")
MEASUREMENT_ANSWERS: Text = (
    "antwoorden op de De Jong Gierveld-eenzaamheidsschaal (bijzonder persoonsgegeven, art. 9)",
    "answers to the De Jong Gierveld loneliness scale (special-category data, art. 9)",
)

PROCESSING_ACTIVITY: Text = (
    "Buurtsignaal: met toestemming van een bewoner een signaal vastleggen dat die "
    "bewoner misschien meer verbinding zoekt, het naar het buurtteam van de buurt "
    "sturen en het opvolgen.",
    "Buurtsignaal: recording, with a resident's consent, a signal that the resident may "
    "want more connection, routing it to the neighbourhood team and following it up.",
)

LEGAL_BASIS: Text = (
    "Elke verwerking heeft haar eigen grondslag (zie de grondslagen per verwerking): de "
    "taak van de gemeente op grond van de Wmo 2015 voor melding en opvolging, toestemming "
    "alleen voor het doorgeven aan initiatieven en de vragen over verbinding.",
    "Each processing activity has its own lawful basis (see the lawful bases per activity): "
    "the municipality's task under the Wmo 2015 for intake and follow-up, consent only for "
    "the handover to initiatives and the questions on connection.",
)

DATA_SUBJECT_RESIDENT: Text = (
    "bewoners over wie een signaal is vastgelegd (pseudoniem betrokkene-id)",
    "residents a signal was recorded about (pseudonymous subject id)",
)
DATA_SUBJECT_STAFF: Text = ("gebruikers van het platform", "users of the platform")

SPECIAL_CATEGORIES: Text = (
    "De waarneming en teamnotities kunnen gegevens over gezondheid, stemming of "
    "rouw bevatten, de antwoorden op de zes vragen zijn dat altijd (art. 9): verwerkt op de "
    "grondslag van art. 9 die per verwerking is vermeld.",
    "The observation and team notes may hold data about health, mood or grief, the answers "
    "to the six questions always do (art. 9): processed on the art. 9 basis given per "
    "activity.",
)

NOT_COLLECTED: list[Text] = [
    ("BSN", "BSN"),
    ("geboortedatum", "date of birth"),
    ("volledige naam", "full name"),
]

RECIPIENTS: dict[str, Text] = {
    "neighbourhood_team": (
        "het buurtteam dat de buurt dekt (of het centrale team)",
        "the neighbourhood team covering the buurt (or the central team)",
    ),
    "initiative": (
        "lokale initiatieven, alleen als de bewoner daar per initiatief toestemming voor gaf",
        "local initiatives, only with the resident's consent per initiative",
    ),
    "signaller": (
        "de signaleerder ziet alleen de status van het eigen signaal",
        "the signaller sees only the status of their own signal",
    ),
}

PUSH_TRANSFER: Text = (
    "alleen een soort gebeurtenis, een betekenisloos id en een algemene tekst; "
    "geen namen, adressen of inhoud",
    "only an event type, an opaque id and a generic text; no names, addresses or content",
)


def retention_rule(days: int | None) -> str:
    """What happens to an ended signal's personal data after `days` (None: no period set)."""
    if days is None:
        return localised(
            (
                "geen termijn ingesteld: bewaard tot een termijn is ingesteld",
                "no period configured: kept until one is configured",
            )
        )
    return localised(
        (
            f"persoonsgegevens gewist {days} dagen na het einde",
            f"personal data erased {days} days after the end",
        )
    )


RETENTION_OPEN: Text = ("bewaard zolang het signaal open is", "kept while the signal is open")
RETENTION_RESTRICTED: Text = (
    "bij beperking (art. 18) wordt niet gewist tot de beperking is opgeheven",
    "while restricted (art. 18) nothing is erased until the restriction is lifted",
)
RETENTION_ACCESS_LOG: Text = (
    "onbeperkt, alleen toevoegen (NEN 7513); archiveren is toekomstig werk",
    "unlimited, append-only (NEN 7513); archiving is future work",
)
