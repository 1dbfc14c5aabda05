"""What the signals app's reads and changes disclose, as access-log entries (NEN 7513,
docs/adr/0014, 0022): built from the grounds the selector or signals.access found and the
personal-field names of signals.personal_data. The selector or service that discloses or changes
the data reports them to audit.disclosure.access_logged in its own transaction (docs/adr/0041);
no view builds one."""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from audit.disclosure import Disclosure
from audit.models import Action, Purpose
from signals.grounds import Grounds, Rule
from signals.models import BreakGlassAccess, Signal, SignalNote
from signals.personal_data import (
    BREAK_GLASS_REASON,
    NOTE_BODY,
    PERSONAL_FIELDS,
    WITHDRAWAL_REASON,
    filled_fields,
)
from signals.visibility import grounds_of

SIGNAL = "signals.signal"
NOTE = "signals.signalnote"
BREAK_GLASS = "signals.breakglassaccess"


def about(
    grounds: Grounds,
    *,
    action: str,
    object_id: Any,
    fields: Iterable[str],
    object_type: str = SIGNAL,
    purpose: str = Purpose.SIGNAL_HANDLING,
    **details: Any,
) -> Disclosure:
    return Disclosure(
        action=action,
        purpose=purpose,
        rule=grounds.rule,
        subject_id=grounds.subject_id,
        object_type=object_type,
        object_id=object_id,
        fields=tuple(fields),
        consent_id=grounds.consent_id or "",
        details={**grounds.details(), **details},
    )


def signal_read(
    signal: Signal, *, action: str = Action.READ, grounds: Grounds | None = None, **details: Any
) -> Disclosure:
    """A signal shown in full (selectors.signal_get_for_team, or returned by a change that
    answers with the detail): the fields holding a value. `grounds` defaults to those the
    read's `with_grounds` annotations give."""
    return about(
        grounds or grounds_of(signal),
        action=action,
        object_id=signal.pk,
        fields=filled_fields(signal, signal.notes.all()),
        **details,
    )


def signal_submitted(signal: Signal, *, created: bool) -> Disclosure:
    """Intake: a new signal writes every field given; a repeat discloses nothing new."""
    grounds = Grounds(
        rule=Rule.SIGNALLER_WITH_CONSENT, subject_id=signal.subject_id, consent_id=signal.consent.pk
    )
    fields = filled_fields(signal) if created else []
    return about(grounds, action=Action.CREATE, object_id=signal.pk, fields=fields, created=created)


def signal_forwarded(signal: Signal) -> Disclosure:
    """The reason is stored as a note; the receipt shows no personal field."""
    return about(
        signal.grounds,
        action=Action.UPDATE,
        object_id=signal.pk,
        fields=[NOTE_BODY],
        operation="forward",
    )


def note_added(note: SignalNote) -> Disclosure:
    return about(
        note.signal.grounds,
        action=Action.CREATE,
        object_type=NOTE,
        object_id=note.pk,
        fields=[NOTE_BODY],
        signal_id=note.signal_id,
    )


def consent_withdrawn(signal: Signal, *, reason: str) -> Disclosure:
    """Withdrawal blanks every personal field and note body; the reason is written."""
    fields = [*PERSONAL_FIELDS, NOTE_BODY, *([WITHDRAWAL_REASON] if reason else [])]
    return about(
        signal.grounds,
        action=Action.CONSENT_CHANGE,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        object_id=signal.pk,
        fields=fields,
        operation="withdraw",
    )


def withdrawal_previewed(signal: Signal, *, recipients: int) -> Disclosure:
    """The page that asks to confirm a withdrawal: which kinds of data will be erased and who
    already received the contact details; no personal value is shown."""
    return about(
        signal.grounds,
        action=Action.READ,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        object_id=signal.pk,
        fields=[],
        operation="withdraw_confirm",
        recipients=recipients,
    )


def break_glass_opened(access: BreakGlassAccess) -> Disclosure:
    """The opening; `expires_at` in the local time zone as the API's answer writes it."""
    grounds = Grounds(
        rule=Rule.BREAK_GLASS,
        subject_id=access.signal.subject_id,
        consent_id=access.signal.consent.pk,
        break_glass_id=access.pk,
    )
    return about(
        grounds,
        action=Action.CREATE,
        object_type=BREAK_GLASS,
        object_id=access.pk,
        fields=[BREAK_GLASS_REASON],
        signal_id=access.signal_id,
        expires_at=timezone.localtime(access.expires_at).isoformat(),
    )


def signals_listed(rows: Iterable[Signal], *, rule: str) -> Disclosure:
    """A list that shows no personal field still names whose signals were listed."""
    subject_ids = [str(row.subject_id) for row in rows]
    return Disclosure(
        action=Action.LIST,
        purpose=Purpose.SIGNAL_HANDLING,
        rule=rule,
        object_type=SIGNAL,
        details={"count": len(subject_ids), "subject_ids": subject_ids},
    )
