"""The privacy officer's codes in words, in the page's language: each label is the one its
vocabulary declares (audit.models, privacy.models, accounts.roles), never a copy."""

from typing import Any

from django import template

from audit.models import AccessOutcome, Action, Purpose
from privacy.export_texts import code_text
from privacy.models import SubjectRequest
from privacy.personal_data import field_text
from workspace.templatetags.workspace import choice_label

register = template.Library()


def _label(choices: Any, value: str) -> str:
    return choice_label(choices, value) or "-"


@register.filter
def fields_text(value: list[str]) -> str:
    """The fields an access-log row names, in words (privacy.personal_data.field_text)."""
    return field_text(value or ()) or "\N{EN DASH}"


@register.filter
def action_text(value: str) -> str:
    return _label(Action, value)


@register.filter
def access_outcome_text(value: str) -> str:
    return _label(AccessOutcome, value)


@register.filter
def purpose_text(value: str) -> str:
    return _label(Purpose, value)


@register.filter
def request_kind_text(value: str) -> str:
    return _label(SubjectRequest.Kind, value)


@register.filter
def request_status_text(value: str) -> str:
    return _label(SubjectRequest.Status, value)


@register.filter
def request_channel_text(value: str) -> str:
    return _label(SubjectRequest.Channel, value)


@register.filter
def roles_text(values: list[str]) -> str:
    """Staff roles by name; a system actor (its name as the role, ADR 39) as itself."""
    return ", ".join(code_text("role", value) for value in values or []) or "-"


@register.simple_tag
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)
