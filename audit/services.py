"""Writes for the audit app: appending to the access log.

`access_log_record` writes one row in the caller's transaction, so a read and its log row
commit or fail together (fail closed). It takes no shared lock: the row is written without its
chain columns, and the sealer (audit.sealing) numbers and chains it once it is committed, so
no request waits for another's transaction (docs/adr/0025). Views and services log through
audit.disclosure's `access_logged`, the one helper.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.context import AccessContext
from audit.models import AccessLog, AccessLogSubject, AccessOutcome, Action, Purpose

DETAIL_TEXT_MAX = 200
_DETAIL_SCALARS = (str, int, bool, type(None))


def _as_uuid(value: uuid.UUID | str | None) -> uuid.UUID | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _clean_details(details: dict[str, Any] | None) -> dict[str, Any]:
    """Details are codes and ids: short strings, ints, booleans, lists and dicts of those."""

    def clean(value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, str):
            return value[:DETAIL_TEXT_MAX]
        if isinstance(value, _DETAIL_SCALARS):
            return value
        if isinstance(value, list | tuple):
            return [clean(item) for item in value]
        if isinstance(value, dict):
            return {str(key): clean(item) for key, item in value.items()}
        raise TypeError(f"unsupported access log detail type {type(value).__name__}")

    return clean(details or {})


def listed_subjects(details: dict[str, Any]) -> list[uuid.UUID]:
    """The residents a row about several names in `details.subject_ids`, each once, in order:
    what AccessLogSubject holds for it (the verifier derives the same from the hashed row)."""
    listed = details.get("subject_ids")
    if not isinstance(listed, list):
        return []
    return list(dict.fromkeys(uuid.UUID(str(value)) for value in listed))


def access_log_record(
    *,
    context: AccessContext,
    action: str,
    purpose: str,
    outcome: str = AccessOutcome.SUCCESS,
    subject_id: uuid.UUID | str | None = None,
    object_type: str = "",
    object_id: str | uuid.UUID = "",
    fields_touched: Sequence[str] = (),
    authorisation_rule: str = "",
    consent_id: str | uuid.UUID = "",
    details: dict[str, Any] | None = None,
) -> AccessLog:
    """Appends one row to the access log in the current transaction (or a new one).

    Never pass personal values: ids, field names and codes only. Raises on any failure, which
    rolls back the caller's transaction: the read it logs must fail with it.

    Side effects: one AccessLog row, unsealed (sequence and hashes follow from the sealer);
    for a row about several residents (`details.subject_ids`) one AccessLogSubject row each,
    in the same statement batch (docs/adr/0047)."""
    action, outcome, purpose = Action(action), AccessOutcome(outcome), Purpose(purpose)
    clean_details = _clean_details(details)  # refuse bad input before writing anything
    subjects = listed_subjects(clean_details)
    with transaction.atomic(savepoint=False):
        row = AccessLog(
            event_id=uuid.uuid4(),
            occurred_at=timezone.now(),
            action=action.value,
            outcome=outcome.value,
            actor_id=_as_uuid(context.actor_id),
            actor_roles=sorted(context.actor_roles),
            actor_organisation_id=_as_uuid(context.actor_organisation_id),
            client_address=context.client_address,
            user_agent=context.user_agent,
            subject_id=_as_uuid(subject_id),
            object_type=object_type,
            object_id=str(object_id),
            fields_touched=sorted(set(fields_touched)),
            purpose=purpose.value,
            authorisation_rule=authorisation_rule,
            consent_id=str(consent_id),
            request_id=context.request_id,
            details=clean_details,
        )
        row.save(force_insert=True)
        if subjects:
            AccessLogSubject.objects.bulk_create(
                [AccessLogSubject(event_id=row.event_id, subject_id=s) for s in subjects]
            )
    return row
