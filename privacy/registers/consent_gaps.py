"""Consents that give less than the resident ticked (docs/adr/0032): a purpose granted under a
text that does not declare it (it counts as not given: no handover, no measurement, until new
consent is recorded), or recipients recorded as free text that matched no single catalogue
entry exactly (they cover no one). The privacy officer's list; withdrawn consents give nothing
and are left out."""

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.roles import HANDLE_PRIVACY_REQUESTS
from audit.disclosure import Disclosure, access_logged
from audit.models import Action, Purpose
from signals.consent_scope import undeclared
from signals.models import Consent, ConsentPurpose, ConsentText

CONSENT_GAP_ORDERING = ("-recorded_at", "-id")
AUTHORISATION_RULE = f"capability:{HANDLE_PRIVACY_REQUESTS}"


def consent_gap_rows() -> QuerySet[Consent]:
    """The consents with a gap, newest first: one query for the texts, one for the page."""
    texts = list(ConsentText.objects.only("pk", "purposes"))
    condition = ~Q(unresolved_recipients=[])
    for purpose in ConsentPurpose:
        silent = [text.pk for text in texts if purpose.value not in text.purposes]
        if silent:
            condition |= Q(**{f"purposes__{purpose.value}": True}, consent_text_id__in=silent)
    return (
        Consent.objects.filter(condition, withdrawal__isnull=True)
        .select_related("signal", "consent_text")
        .order_by(*CONSENT_GAP_ORDERING)
    )


def consent_gap_entry(consent: Consent) -> dict[str, Any]:
    """One line: ids, the text, what the text leaves out and the names that matched nothing."""
    return {
        "consent_id": consent.pk,
        "subject_id": consent.signal.subject_id,
        "recorded_at": consent.recorded_at,
        "consent_text_version": consent.consent_text.version,
        "consent_text_language": consent.consent_text.language,
        "purposes_not_covered": undeclared(consent.purposes, consent.consent_text),
        "unresolved_recipients": [str(name) for name in consent.unresolved_recipients],
    }


def consent_gaps_read(*, fmt: str) -> Disclosure:
    """The access-log row of a read of the list (API or workspace page): ids and codes only."""
    return Disclosure(
        action=Action.LIST,
        purpose=Purpose.AUDIT,
        rule=AUTHORISATION_RULE,
        object_type="signals.consent",
        details={"register": "consent_gaps", "format": fmt},
    )


def consent_gaps_page(
    *, actor: User, fmt: str, paginate: Callable[[QuerySet[Consent]], list[Consent]]
) -> list[dict[str, Any]]:
    """The consents with a gap as the caller pages them, each as its line
    (`consent_gap_entry`); `fmt` names the front end in the row.

    Side effects: one AccessLog row (list) in the transaction that reads (docs/adr/0041)."""
    with access_logged(actor=actor) as log:
        entries = [consent_gap_entry(consent) for consent in paginate(consent_gap_rows())]
        log.add(consent_gaps_read(fmt=fmt))
    return entries
