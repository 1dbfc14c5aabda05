"""Labels of the shared vocabularies (signals.models, accounts.models) in the page's language:
their labels are translatable (gettext_lazy), so the choice's label is looked up, never a copy."""

from django import template
from django.utils.translation import gettext_lazy as _

from accounts.models import TeamRole
from backend.i18n import in_language, language_name
from initiatives.explain import suggestion_in_words
from initiatives.ranking import Suggestion
from signals.models import Outcome, Status, TargetGroup, Urgency

register = template.Library()


def choice_label(choices: type, value: str) -> str:
    """The label a vocabulary declares for `value`, in the active language; the value itself
    when the vocabulary does not know it (an older row)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@register.filter
def status_label(value: str) -> str:
    return choice_label(Status, value)


@register.filter
def urgency_label(value: str) -> str:
    return choice_label(Urgency, value)


@register.filter
def target_group_label(value: str) -> str:
    return choice_label(TargetGroup, value)


@register.filter
def outcome_label(value: str) -> str:
    return choice_label(Outcome, value)


@register.filter
def language_label(code: str) -> str:
    """A language code ("tr") by its name in the page's language; "" if none is known."""
    return language_name(code) if code else ""


@register.filter
def role_label(value: str) -> str:
    return choice_label(TeamRole, value)


# How the timeline says each event type (signals.models.SignalEvent.Type).
EVENT_TEXTS = {
    "created": _("Signal received"),
    "routed": _("Routed to the team"),
    "routing_failed": _("Routing failed"),
    "transitioned": _("Status changed"),
    "forwarded": _("Forwarded to another team"),
    "assigned": _("Assigned"),
    "escalated": _("Escalated to the coordinators"),
    "note_added": _("Note added"),
    "consent_withdrawn": _("Consent withdrawn"),
    "personal_data_erased": _("Personal data erased"),
    "restricted": _("Processing restricted"),
    "restriction_lifted": _("Restriction lifted"),
    "referral": _("Referral to an initiative"),
}


@register.filter
def event_text(value: str) -> str:
    return str(EVENT_TEXTS.get(value, value))


@register.filter
def localised(obj: object, field: str) -> str:
    """A data text held in `<field>_nl` and `<field>_en` in the page's language (backend.i18n)."""
    return in_language(getattr(obj, f"{field}_nl"), getattr(obj, f"{field}_en"))


@register.simple_tag
def suggestion_words(item: Suggestion, language: str) -> dict[str, list[str]]:
    """A suggestion's matched and unmatched criteria in words (initiatives.explain)."""
    matched, unmatched = suggestion_in_words(item, language=language)
    return {"matched": matched, "unmatched": unmatched}
