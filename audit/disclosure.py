"""The one access-logging helper (NEN 7513, docs/adr/0022, 0041).

The selector that returns someone's personal data, or the service that changes it, says what it
disclosed or changed as a `Disclosure` (whose data, on what grounds, which object, which field
names) and runs its work inside `access_logged`, which writes one access-log row per disclosure
last, in that function's transaction, with the actor and the request's origin from the request
context (audit.context.AccessContext.current):

    def signal_get_for_team(*, user, signal_id):
        with access_logged(actor=user) as log:
            signal = ...
            log.add(disclosures.signal_read(signal))
        return signal

Views and pages never call it: they call the selector or service, which writes the same row for
every front end (tests/audit/test_log_row_parity.py).

Fail closed: if a row cannot be written the transaction rolls back and the call fails; a
block that reports no disclosure is a programming error and fails too, unless it says
`required=False`. A refusal raised inside
the block writes no row here: the exception handler logs denials (audit.denials)."""

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction

from audit.context import AccessContext
from audit.services import access_log_record


@dataclass(frozen=True)
class Disclosure:
    """One access-log row's worth: ids, field names and codes, never personal values."""

    action: str
    purpose: str
    rule: str
    subject_id: uuid.UUID | str | None = None
    object_type: str = ""
    object_id: uuid.UUID | str = ""
    fields: Sequence[str] = ()
    consent_id: uuid.UUID | str | None = ""
    details: Mapping[str, Any] = field(default_factory=dict)

    def with_details(self, **details: Any) -> "Disclosure":
        return replace(self, details={**self.details, **details})


class AccessLogEntries:
    """What the block reports; written when it ends."""

    def __init__(self) -> None:
        self._disclosures: list[Disclosure] = []

    def add(self, disclosure: Disclosure, **details: Any) -> None:
        self._disclosures.append(disclosure.with_details(**details) if details else disclosure)

    def __iter__(self) -> Iterator[Disclosure]:
        return iter(self._disclosures)

    def __len__(self) -> int:
        return len(self._disclosures)


@contextmanager
def access_logged(*, actor: Any, required: bool = True) -> Iterator[AccessLogEntries]:
    """Runs the block and then writes one access-log row per disclosure it reported, in one
    transaction (the chain lock is held only from the first write to commit). `actor` is the
    user acting, or a system actor (logged by its name as role). A block that may find nothing
    to do (retention of a signal no longer due) passes `required=False`.

    Side effects: AccessLog rows (audit.services.access_log_record)."""
    with transaction.atomic():
        entries = AccessLogEntries()
        yield entries
        if required and not entries:
            raise RuntimeError("an access-logged block reported no disclosure")
        context = AccessContext.current(actor)
        for disclosure in entries:
            access_log_record(
                context=context,
                action=disclosure.action,
                purpose=disclosure.purpose,
                subject_id=disclosure.subject_id,
                object_type=disclosure.object_type,
                object_id=disclosure.object_id,
                fields_touched=disclosure.fields,
                authorisation_rule=disclosure.rule,
                consent_id=disclosure.consent_id or "",
                details=dict(disclosure.details),
            )
