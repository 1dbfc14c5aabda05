"""The words of the Art. 15 PDF export, in Dutch and English: headings and labels, the
display names of codes, and how dates and recipients read. The layout is privacy.export_pdf."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation

from accounts.roles import Role
from audit.models import AccessOutcome, Action, Purpose
from initiatives.models import ReferralStep
from outcomes.models import Phase
from signals.consent_scope import ANY, INITIATIVE_PREFIX, TEAM_RECIPIENT
from signals.models import Consent, Status, TargetGroup, Urgency
from signals.models import Outcome as SignalOutcome

LABELS: dict[str, tuple[str, str]] = {
    "title": ("Inzage in uw gegevens", "Your personal data"),
    "intro": (
        "Dit overzicht bevat alle gegevens die Buurtsignaal over u bewaart, waarvoor ze "
        "gebruikt worden, met wie ze gedeeld zijn, hoe lang ze bewaard worden en wie ze heeft "
        "ingezien (AVG artikel 15).",
        "This overview holds all data Buurtsignaal keeps about you, what it is used for, who "
        "it was shared with, how long it is kept and who looked at it (GDPR article 15).",
    ),
    "subject": ("Uw kenmerk", "Your reference"),
    "generated": ("Gemaakt op", "Created on"),
    "controller": ("Verantwoordelijke", "Controller"),
    "signal": ("Signaal van", "Signal of"),
    "personal": ("Uw gegevens", "Your details"),
    "first_name": ("Voornaam", "First name"),
    "phone": ("Telefoon", "Phone"),
    "email": ("E-mail", "Email"),
    "postcode": ("Postcode", "Postcode"),
    "house_number": ("Huisnummer", "House number"),
    "house_number_addition": ("Toevoeging", "Addition"),
    "observation": ("Waarneming", "Observation"),
    "erased": ("Gewist op", "Erased on"),
    "about": ("Over het signaal", "About the signal"),
    "target_group": ("Doelgroep", "Target group"),
    "reasons": ("Redenen", "Reasons"),
    "urgency": ("Urgentie", "Urgency"),
    "status": ("Status", "Status"),
    "outcome": ("Uitkomst", "Outcome"),
    "neighbourhood": ("Buurt", "Neighbourhood"),
    "team": ("Ontvangend buurtteam", "Receiving neighbourhood team"),
    "source": ("Doorgegeven door", "Passed on by"),
    "language": ("Voorkeurstaal", "Preferred language"),
    "restricted": ("Verwerking beperkt sinds", "Processing restricted since"),
    "consent": ("Toestemming", "Consent"),
    "given_at": ("Gegeven op", "Given on"),
    "given_by": ("Gegeven door", "Given by"),
    "method": ("Manier", "Method"),
    "purposes": ("Doelen", "Purposes"),
    "recipients": ("Ontvangers", "Recipients"),
    "text_version": ("Versie van de tekst", "Text version"),
    "withdrawn_at": ("Ingetrokken op", "Withdrawn on"),
    "consent_text": ("De tekst die u te zien kreeg", "The text you were shown"),
    "retention": ("Bewaartermijn", "Retention"),
    "measurements": (
        "Vragen over hoe verbonden u zich voelt",
        "Questions on how connected you feel",
    ),
    "measurement_declined": ("U wilde deze vragen niet beantwoorden.", "You chose not to answer."),
    "question": ("Vraag", "Question"),
    "answer": ("Antwoord", "Answer"),
    "total_score": (
        "Totaalscore (0-6, hoger is eenzamer)",
        "Total score (0-6, higher is lonelier)",
    ),
    "history": ("Verloop", "History"),
    "date": ("Datum", "Date"),
    "event": ("Gebeurtenis", "Event"),
    "from": ("Van", "From"),
    "to": ("Naar", "To"),
    "notes": ("Notities van het buurtteam", "Notes of the neighbourhood team"),
    "note": ("Notitie", "Note"),
    "no_notes": ("Geen notities.", "No notes."),
    "access": ("Wie heeft uw gegevens ingezien", "Who accessed your data"),
    "organisation": ("Organisatie", "Organisation"),
    "role": ("Rol", "Role"),
    "action": ("Handeling", "Action"),
    "purpose": ("Doel", "Purpose"),
    "actor": ("Medewerker-id", "Staff id"),
    "no_access": ("Nog niemand.", "Nobody yet."),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "system": ("systeem", "system"),
    "neighbourhood_team": ("het buurtteam van uw buurt", "the neighbourhood team of your area"),
    "initiative": ("initiatief", "initiative"),
    "any_initiative": (
        "elk initiatief dat het buurtteam samen met u kiest",
        "any initiative the neighbourhood team chooses with you",
    ),
    "initiative_gone": (
        "een initiatief dat niet meer bestaat",
        "an initiative that no longer exists",
    ),
    "referrals": ("Doorverwijzingen naar initiatieven", "Referrals to initiatives"),
    "no_referrals": ("Geen doorverwijzingen.", "No referrals."),
    "step": ("Stap", "Step"),
    "contact_shared": ("Uw contactgegevens doorgegeven op", "Your contact details passed on"),
    "lawful_bases": ("Waarom wij uw gegevens mogen gebruiken", "Why we may use your data"),
    "lawful_bases_intro": (
        "Voor elk gebruik van uw gegevens staat hier op welke grond uit de AVG en welke wet "
        "het rust. Waar toestemming de grond is, kunt u die altijd intrekken.",
        "For each use of your data, this shows the ground in the GDPR and the law it rests "
        "on. Where consent is the ground, you can always withdraw it.",
    ),
    "processing": ("Gebruik", "Use"),
    "ground": ("Grond (AVG)", "Ground (GDPR)"),
    "law": ("Wet", "Law"),
}
RETENTION_TEXT: dict[str, tuple[str, str]] = {
    "erased": ("Uw persoonsgegevens zijn gewist op {erased_at}.", "Erased on {erased_at}."),
    "while_open": (
        "Uw gegevens worden bewaard zolang het buurtteam met het signaal bezig is; daarna "
        "geldt een vaste termijn.",
        "Your data is kept while the team works on the signal; a fixed period follows.",
    ),
    "no_policy": ("Er is geen termijn ingesteld.", "No period is configured."),
    "after_end": (
        "Uw persoonsgegevens worden {days} dagen na het einde gewist, op {erase_at}.",
        "Your personal data will be erased {days} days after the end, on {erase_at}.",
    ),
    "restricted": (
        "De verwerking is beperkt; er wordt niets gewist zolang de beperking geldt (daarna "
        "{days} dagen na het einde).",
        "Processing is restricted; nothing is erased while it lasts (then {days} days after "
        "the end).",
    ),
}
EVENT_LABELS: dict[str, tuple[str, str]] = {
    "created": ("Signaal ontvangen", "Signal received"),
    "routed": ("Naar buurtteam gestuurd", "Sent to neighbourhood team"),
    "routing_failed": ("Geen team gevonden", "No team found"),
    "transitioned": ("Status gewijzigd", "Status changed"),
    "forwarded": ("Doorgestuurd naar ander team", "Forwarded to another team"),
    "assigned": ("Aan medewerker toegewezen", "Assigned to a worker"),
    "escalated": ("Termijn verstreken, coördinator ingelicht", "Deadline passed, escalated"),
    "note_added": ("Notitie toegevoegd", "Note added"),
    "consent_withdrawn": ("Toestemming ingetrokken", "Consent withdrawn"),
    "personal_data_erased": ("Persoonsgegevens gewist", "Personal data erased"),
    "restricted": ("Verwerking beperkt", "Processing restricted"),
    "restriction_lifted": ("Beperking opgeheven", "Restriction lifted"),
}
_CHOICES: dict[str, dict[str, str]] = {
    name: {str(value): str(label) for value, label in choices.choices}
    for name, choices in {
        "status": Status,
        "target_group": TargetGroup,
        "urgency": Urgency,
        "outcome": SignalOutcome,
        "action": Action,
        "access_outcome": AccessOutcome,
        "purpose": Purpose,
        "role": Role,
        "given_by": Consent.GivenBy,
        "referral_step": ReferralStep,
        "method": Consent.Method,
        "phase": Phase,
    }.items()
}


def english() -> bool:
    return (translation.get_language() or "nl")[:2] == "en"


def label(key: str) -> str:
    nl, en = LABELS[key]
    return en if english() else nl


def code_text(kind: str, value: Any) -> str:
    if value in (None, ""):
        return "-"
    if english():
        return str(value).replace("_", " ")
    return _CHOICES[kind].get(str(value), str(value))


def moment_text(value: Any, *, with_time: bool = True) -> str:
    if not value:
        return "-"
    moment = datetime.fromisoformat(str(value))
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    return local.strftime("%d-%m-%Y %H:%M" if with_time else "%d-%m-%Y")


def recipient_text(value: str, names: Mapping[str, str] | None = None) -> str:
    """A recorded recipient in words: the team, an initiative by its catalogue name (`names`:
    catalogue id to name), or any initiative chosen with the resident."""
    if value == TEAM_RECIPIENT:
        return label("neighbourhood_team")
    if value.startswith(INITIATIVE_PREFIX):
        identity = value.removeprefix(INITIATIVE_PREFIX)
        if identity == ANY:
            return label("any_initiative")
        return (names or {}).get(identity) or label("initiative_gone")
    return value


def retention_text(retention: dict[str, Any]) -> str:
    """The export's retention section: the rule for this signal, with its days and dates."""
    nl, en = RETENTION_TEXT[retention["rule"]]
    return (en if english() else nl).format(
        days=retention["erase_after_days"],
        erase_at=moment_text(retention["erase_at"], with_time=False),
        erased_at=moment_text(retention["erased_at"], with_time=False),
    )


def event_label(event_type: str) -> str:
    """A history event's name; an unknown type as itself."""
    return EVENT_LABELS.get(event_type, (event_type, event_type))[int(english())]
