"""Access logging for the signals API (NEN 7513): one AccessLog row per request that touches a
resident's data, written in the transaction that does the work and builds the response body.
If the row cannot be written, the transaction rolls back and the request fails (fail closed).

    with logged(request, action=Action.READ) as entry:
        signal = selectors.signal_get_for_team(...)
        data = Output(signal).data
        entry.about(selectors.grounds_of(signal), fields=filled_fields(signal, ...))
    return Response(data)

A refusal raised inside the block writes no row here; the exception handler logs denials.
"""

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from rest_framework.request import Request

from audit.context import AccessContext
from audit.models import Purpose
from audit.services import access_log_record
from signals.grounds import Grounds

SIGNAL = "signals.signal"


@dataclass
class LogEntry:
    """What the block fills in once it knows it: whose data, on what grounds, which fields."""

    rule: str = ""
    object_type: str = SIGNAL
    object_id: str | uuid.UUID = ""
    subject_id: uuid.UUID | None = None
    consent_id: str | uuid.UUID | None = ""
    fields: Sequence[str] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def about(
        self,
        grounds: Grounds,
        *,
        object_id: str | uuid.UUID,
        fields: Sequence[str] = (),
        **details: Any,
    ) -> None:
        self.rule = grounds.rule
        self.subject_id = grounds.subject_id
        self.consent_id = grounds.consent_id or ""
        self.object_id = object_id
        self.fields = fields
        self.details = {**grounds.details(), **details}


@contextmanager
def logged(
    request: Request,
    *,
    action: str,
    rule: str = "",
    purpose: str = Purpose.SIGNAL_HANDLING,
) -> Iterator[LogEntry]:
    """Runs the block and writes its access log row last, in one transaction.

    Side effects: one AccessLog row (audit.services.access_log_record)."""
    entry = LogEntry(rule=rule)
    with transaction.atomic():
        yield entry
        access_log_record(
            context=AccessContext.from_request(request),
            action=action,
            purpose=purpose,
            subject_id=entry.subject_id,
            object_type=entry.object_type,
            object_id=entry.object_id,
            fields_touched=entry.fields,
            authorisation_rule=entry.rule,
            consent_id=entry.consent_id or "",
            details=entry.details,
        )
