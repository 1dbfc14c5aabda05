"""The consent register: which consent records it lists, and what one line of it holds."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet

from accounts.models import User
from accounts.roles import HANDLE_PRIVACY_REQUESTS
from audit.disclosure import Disclosure, access_logged
from audit.models import Action, Purpose
from signals.models import Consent

AUTHORISATION_RULE = f"capability:{HANDLE_PRIVACY_REQUESTS}"
Page = TypeVar("Page")

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


def consent_register_read(
    *, actor: User, fmt: str, paginate: Callable[[QuerySet[Consent]], Page]
) -> Page:
    """The register's consent records as the caller takes them (`paginate`: the API's page,
    or the whole query for a CSV that streams). A CSV is logged as an export, a page as a list.

    Side effects: one AccessLog row in the transaction that reads (docs/adr/0041)."""
    with access_logged(actor=actor) as log:
        log.add(
            Disclosure(
                action=Action.EXPORT if fmt == "csv" else Action.LIST,
                purpose=Purpose.AUDIT,
                rule=AUTHORISATION_RULE,
                object_type="signals.consent",
                details={"format": fmt, "register": "consent"},
            )
        )
        page = paginate(consent_register_rows())
    return page
