"""The words of the Art. 15 PDF export, in Dutch and English: headings and labels, the
display names of codes, and how dates and recipients read. The layout is privacy.export_pdf.
Interface text: gettext, context "subject access export" (docs/adr/0040)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from audit.models import AccessOutcome, Action, Purpose
from backend.i18n import is_english
from initiatives.models import ReferralStep
from outcomes.models import Phase
from signals.consent_scope import ANY, INITIATIVE_PREFIX, TEAM_RECIPIENT
from signals.models import Consent, Status, TargetGroup, Urgency
from signals.models import Outcome as SignalOutcome

LABELS: dict[str, Promise] = {
    "title": pgettext_lazy("subject access export", "Your personal data"),
    "intro": pgettext_lazy(
        "subject access export",
        "This overview holds all data Buurtsignaal keeps about you, what it is used for, who "
        "it was shared with, how long it is kept and who looked at it (GDPR article 15).",
    ),
    "subject": pgettext_lazy("subject access export", "Your reference"),
    "generated": pgettext_lazy("subject access export", "Created on"),
    "controller": pgettext_lazy("subject access export", "Controller"),
    "signal": pgettext_lazy("subject access export", "Signal of"),
    "personal": pgettext_lazy("subject access export", "Your details"),
    "first_name": pgettext_lazy("subject access export", "First name"),
    "phone": pgettext_lazy("subject access export", "Phone"),
    "email": pgettext_lazy("subject access export", "Email"),
    "postcode": pgettext_lazy("subject access export", "Postcode"),
    "house_number": pgettext_lazy("subject access export", "House number"),
    "house_number_addition": pgettext_lazy("subject access export", "Addition"),
    "observation": pgettext_lazy("subject access export", "Observation"),
    "erased": pgettext_lazy("subject access export", "Erased on"),
    "about": pgettext_lazy("subject access export", "About the signal"),
    "target_group": pgettext_lazy("subject access export", "Target group"),
    "reasons": pgettext_lazy("subject access export", "Reasons"),
    "urgency": pgettext_lazy("subject access export", "Urgency"),
    "status": pgettext_lazy("subject access export", "Status"),
    "outcome": pgettext_lazy("subject access export", "Outcome"),
    "neighbourhood": pgettext_lazy("subject access export", "Neighbourhood"),
    "team": pgettext_lazy("subject access export", "Receiving neighbourhood team"),
    "source": pgettext_lazy("subject access export", "Passed on by"),
    "language": pgettext_lazy("subject access export", "Preferred language"),
    "restricted": pgettext_lazy("subject access export", "Processing restricted since"),
    "consent": pgettext_lazy("subject access export", "Consent"),
    "given_at": pgettext_lazy("subject access export", "Given on"),
    "given_by": pgettext_lazy("subject access export", "Given by"),
    "method": pgettext_lazy("subject access export", "Method"),
    "purposes": pgettext_lazy("subject access export", "Purposes"),
    "recipients": pgettext_lazy("subject access export", "Recipients"),
    "text_version": pgettext_lazy("subject access export", "Text version"),
    "withdrawn_at": pgettext_lazy("subject access export", "Withdrawn on"),
    "consent_text": pgettext_lazy("subject access export", "The text you were shown"),
    "retention": pgettext_lazy("subject access export", "Retention"),
    "measurements": pgettext_lazy("subject access export", "Questions on how connected you feel"),
    "measurement_declined": pgettext_lazy("subject access export", "You chose not to answer."),
    "question": pgettext_lazy("subject access export", "Question"),
    "answer": pgettext_lazy("subject access export", "Answer"),
    "total_score": pgettext_lazy("subject access export", "Total score (0-6, higher is lonelier)"),
    "history": pgettext_lazy("subject access export", "History"),
    "date": pgettext_lazy("subject access export", "Date"),
    "event": pgettext_lazy("subject access export", "Event"),
    "from": pgettext_lazy("subject access export", "From"),
    "to": pgettext_lazy("subject access export", "To"),
    "notes": pgettext_lazy("subject access export", "Notes of the neighbourhood team"),
    "note": pgettext_lazy("subject access export", "Note"),
    "no_notes": pgettext_lazy("subject access export", "No notes."),
    "access": pgettext_lazy("subject access export", "Who accessed your data"),
    "organisation": pgettext_lazy("subject access export", "Organisation"),
    "role": pgettext_lazy("subject access export", "Role"),
    "action": pgettext_lazy("subject access export", "Action"),
    "purpose": pgettext_lazy("subject access export", "Purpose"),
    "actor": pgettext_lazy("subject access export", "Staff id"),
    "no_access": pgettext_lazy("subject access export", "Nobody yet."),
    "looks_intro": pgettext_lazy(
        "subject access export",
        "One line per time someone looked: reads of the same thing by the same person within "
        "15 minutes of each other count as one look.",
    ),
    "period": pgettext_lazy("subject access export", "Period"),
    "until": pgettext_lazy("subject access export", "until"),
    "times": pgettext_lazy("subject access export", "Times"),
    "outcome_access": pgettext_lazy("subject access export", "Result"),
    "yes": pgettext_lazy("subject access export", "yes"),
    "no": pgettext_lazy("subject access export", "no"),
    "system": pgettext_lazy("subject access export", "system"),
    "neighbourhood_team": pgettext_lazy(
        "subject access export", "the neighbourhood team of your area"
    ),
    "initiative": pgettext_lazy("subject access export", "initiative"),
    "any_initiative": pgettext_lazy(
        "subject access export", "any initiative the neighbourhood team chooses with you"
    ),
    "initiative_gone": pgettext_lazy(
        "subject access export", "an initiative that no longer exists"
    ),
    "referrals": pgettext_lazy("subject access export", "Referrals to initiatives"),
    "no_referrals": pgettext_lazy("subject access export", "No referrals."),
    "step": pgettext_lazy("subject access export", "Step"),
    "contact_shared": pgettext_lazy("subject access export", "Your contact details passed on"),
    "lawful_bases": pgettext_lazy("subject access export", "Why we may use your data"),
    "lawful_bases_intro": pgettext_lazy(
        "subject access export",
        "For each use of your data, this shows the ground in the GDPR and the law it rests "
        "on. Where consent is the ground, you can always withdraw it.",
    ),
    "processing": pgettext_lazy("subject access export", "Use"),
    "ground": pgettext_lazy("subject access export", "Ground (GDPR)"),
    "law": pgettext_lazy("subject access export", "Law"),
}
RETENTION_TEXT: dict[str, Promise] = {
    "erased": pgettext_lazy("subject access export", "Erased on {erased_at}."),
    "while_open": pgettext_lazy(
        "subject access export",
        "Your data is kept while the team works on the signal; a fixed period follows.",
    ),
    "no_policy": pgettext_lazy("subject access export", "No period is configured."),
    "after_end": pgettext_lazy(
        "subject access export",
        "Your personal data will be erased {days} days after the end, on {erase_at}.",
    ),
    "restricted": pgettext_lazy(
        "subject access export",
        "Processing is restricted; nothing is erased while it lasts (then {days} days after "
        "the end).",
    ),
}
EVENT_LABELS: dict[str, Promise] = {
    "created": pgettext_lazy("subject access export", "Signal received"),
    "routed": pgettext_lazy("subject access export", "Sent to neighbourhood team"),
    "routing_failed": pgettext_lazy("subject access export", "No team found"),
    "transitioned": pgettext_lazy("subject access export", "Status changed"),
    "forwarded": pgettext_lazy("subject access export", "Forwarded to another team"),
    "assigned": pgettext_lazy("subject access export", "Assigned to a worker"),
    "escalated": pgettext_lazy("subject access export", "Deadline passed, escalated"),
    "note_added": pgettext_lazy("subject access export", "Note added"),
    "consent_withdrawn": pgettext_lazy("subject access export", "Consent withdrawn"),
    "personal_data_erased": pgettext_lazy("subject access export", "Personal data erased"),
    "restricted": pgettext_lazy("subject access export", "Processing restricted"),
    "restriction_lifted": pgettext_lazy("subject access export", "Restriction lifted"),
}
_VOCABULARIES: dict[str, Any] = {
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
}
# Declared with gettext labels (English msgid, Dutch in locale/nl): read in the active language.
_TRANSLATED = frozenset({"action", "access_outcome", "purpose"})


def label(key: str) -> str:
    return str(LABELS[key])


def code_text(kind: str, value: Any) -> str:
    if value in (None, ""):
        return "-"
    choices = dict(_VOCABULARIES[kind].choices)
    if kind in _TRANSLATED:
        return str(choices.get(str(value), value))
    # The other vocabularies' declared labels are Dutch only; English reads the code itself.
    if is_english():
        return str(value).replace("_", " ")
    return str(choices.get(str(value), value))


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
    return str(RETENTION_TEXT[retention["rule"]]).format(
        days=retention["erase_after_days"],
        erase_at=moment_text(retention["erase_at"], with_time=False),
        erased_at=moment_text(retention["erased_at"], with_time=False),
    )


def look_period_text(first_at: Any, last_at: Any) -> str:
    """When a look happened: one moment, or from its first to its last read."""
    first, last = moment_text(first_at), moment_text(last_at)
    if first == last:
        return first
    return f"{first} {label('until')} {last}"


def event_label(event_type: str) -> str:
    """A history event's name; an unknown type as itself."""
    return str(EVENT_LABELS.get(event_type, event_type))
