"""The processing register's security measures in words, for the workspace page: each
setting named and its value read as a sentence part, never a Python value."""

from typing import Any

from django.utils.translation import pgettext, pgettext_lazy

from signals.personal_data import field_label

MEASURE_NAMES = {
    "second_factor": pgettext_lazy("processing register", "Second factor"),
    "totp_required": pgettext_lazy("processing register", "Authenticator app required"),
    "field_workers_exempt": pgettext_lazy(
        "processing register", "Field workers exempt from the second factor"
    ),
    "encryption_at_rest": pgettext_lazy("processing register", "Encryption at rest"),
    "fields": pgettext_lazy("processing register", "Encrypted fields"),
    "keys_configured": pgettext_lazy("processing register", "Keys configured"),
    "access_log": pgettext_lazy("processing register", "Access log"),
    "authorisation": pgettext_lazy("processing register", "Authorisation"),
    "login_lockout_after_failures": pgettext_lazy(
        "processing register", "Login locked after this many failures"
    ),
    "access_token_minutes": pgettext_lazy("processing register", "Access token valid (minutes)"),
    "responses_with_personal_data": pgettext_lazy(
        "processing register", "Responses with personal data"
    ),
    "pseudonymisation": pgettext_lazy("processing register", "Pseudonymisation"),
}


def _value(value: Any) -> str:
    if value is True:
        return pgettext("processing register", "yes")
    if value is False:
        return pgettext("processing register", "no")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "-"
    return str(value)


def security_measure_lines(register: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, value) per measure; a group of settings as one line per setting, its name
    prefixed with the group's."""
    lines: list[tuple[str, str]] = []
    for key, value in register["security_measures"].items():
        name = str(MEASURE_NAMES.get(key, key))
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                lines.append((f"{name}: {MEASURE_NAMES.get(inner, inner)}", _value(inner_value)))
        else:
            lines.append((name, _value(value)))
    return lines


def field_names(names: list[str]) -> list[str]:
    """Signal fields kept after erasure, by their declared names (verbose_name)."""
    return [field_label(name) or name for name in names]
