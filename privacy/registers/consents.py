"""The consent register: which consent records it lists, and what one line of it holds."""

from typing import Any

from django.db.models import QuerySet

from signals.models import Consent

CONSENT_REGISTER_COLUMNS = [
    "consent_id",
    "subject_id",
    "given_at",
    "recorded_at",
    "method",
    "given_by",
    "purposes",
    "recipients",
    "consent_text_version",
    "consent_text_language",
    "consent_text_sha256",
    "recorded_by_organisation",
    "withdrawn_at",
]


def consent_register_rows() -> QuerySet[Consent]:
    """Every consent record, newest first, with what the register shows joined in."""
    return Consent.objects.select_related(
        "signal", "consent_text", "recorded_by__organisation", "withdrawal"
    ).order_by("-recorded_at", "-id")


def consent_register_entry(consent: Consent) -> dict[str, Any]:
    """One register line: ids, dates, codes and the text version. No names, no contact data,
    not the representative's relation and not the withdrawal's free-text reason."""
    withdrawal = getattr(consent, "withdrawal", None)
    organisation = consent.recorded_by.organisation
    return {
        "consent_id": consent.pk,
        "subject_id": consent.signal.subject_id,
        "given_at": consent.given_at,
        "recorded_at": consent.recorded_at,
        "method": consent.method,
        "given_by": consent.given_by,
        "purposes": {str(code): bool(granted) for code, granted in consent.purposes.items()},
        "recipients": [str(recipient) for recipient in consent.recipients],
        "consent_text_version": consent.consent_text.version,
        "consent_text_language": consent.consent_text.language,
        "consent_text_sha256": consent.consent_text_sha256,
        "recorded_by_organisation": organisation.name if organisation else "",
        "withdrawn_at": withdrawal.withdrawn_at if withdrawal else None,
    }
