"""Reads for data-subject requests: the request list, the open request a rights action carries
out, and one resident's export (AVG art. 15).

The privacy officer reads by capability, not by team visibility, and restricted signals are
included: an audit read is what restriction still allows. But no rights action, the export
included, runs without an open registered request of its kind for that very resident
(`subject_request_for_action`, docs/adr/0018)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import HANDLE_PRIVACY_REQUESTS
from audit.disclosure import Disclosure, access_logged
from audit.models import AccessLog, Action, Purpose
from backend.errors import DomainError
from backend.i18n import supported_language
from initiatives.models import Initiative, Referral
from initiatives.selectors import DataRecipient, data_recipients, referrals_by_signal
from outcomes.models import Measurement
from privacy.models import SubjectRequest
from privacy.personal_data import SUBJECT_FIELDS
from privacy.retention import retention_policies
from privacy.selectors import access_log_about_subject
from signals.consent_scope import INITIATIVE_PREFIX
from signals.models import Signal, SignalEvent, SignalNote
from signals.personal_data import ERASED_FIELDS

AUTHORISATION_RULE = f"capability:{HANDLE_PRIVACY_REQUESTS}"


def subject_request_list(
    *,
    status: str | None = None,
    overdue: bool | None = None,
    kind: str | None = None,
    subject_id: UUID | None = None,
    now: datetime | None = None,
) -> QuerySet[SubjectRequest]:
    """Requests, soonest due first. `overdue=True`: open and past the due date; `False`: the
    others."""
    now = now or timezone.now()
    rows = SubjectRequest.objects.all()
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if subject_id:
        rows = rows.filter(subject_id=subject_id)
    if overdue is True:
        rows = rows.filter(status=SubjectRequest.Status.OPEN, due_at__lt=now)
    elif overdue is False:
        rows = rows.exclude(status=SubjectRequest.Status.OPEN, due_at__lt=now)
    return rows.order_by("due_at", "id")


def subject_request_for_action(
    *,
    kind: str,
    subject_id: UUID | str,
    subject_request_id: UUID | str | None,
    lock: bool = False,
) -> SubjectRequest:
    """The open registered request of `kind` for `subject_id` that a rights action carries out
    (locked for update with `lock`). Anything else is refused before the action touches data:
    `subject_request_required` (none given), `subject_request_not_found`,
    `subject_request_mismatch` (another kind or another resident), `subject_request_closed`."""
    if not subject_request_id:
        raise DomainError("subject_request_required", details={"kind": kind})
    rows = SubjectRequest.objects.select_for_update() if lock else SubjectRequest.objects.all()
    request = rows.filter(pk=subject_request_id).first()
    if request is None:
        raise DomainError("subject_request_not_found")
    if request.kind != kind or str(request.subject_id) != str(subject_id):
        raise DomainError("subject_request_mismatch", details={"kind": kind})
    if request.status != SubjectRequest.Status.OPEN:
        raise DomainError("subject_request_closed")
    return request


def subject_recipients(*, subject_ids: list[Any]) -> dict[Any, list[DataRecipient]]:
    """The initiatives that received each resident's contact details, with the date, by
    subject id (AVG art. 19): for the request list and the answer of a rights action. One
    query for any number of residents."""
    recipients: dict[Any, list[DataRecipient]] = {}
    for recipient in data_recipients(subject_ids=subject_ids):
        recipients.setdefault(recipient.subject_id, []).append(recipient)
    return recipients


@dataclass(frozen=True)
class SubjectExport:
    subject_id: UUID
    subject_request: SubjectRequest
    generated_at: datetime
    signals: list[Signal]
    access_history: list[AccessLog]
    organisation_names: dict[UUID, str]
    retention_policies: dict[str, int]
    referrals: dict[UUID, list[Referral]]
    looks: list["Look"]
    period_from: datetime | None = None
    period_to: datetime | None = None


# Reads closer together than this, of the same thing by the same person, are one look
# (docs/adr/0048): the app polls a signal about 30 times a minute while it is open.
LOOK_GAP = timedelta(minutes=15)
READ_ACTIONS = frozenset({Action.READ, Action.LIST, Action.SEARCH, Action.AUDIT_READ})


@dataclass
class Look:
    """One look at the resident's data: consecutive reads of the same object by the same
    person, for the same purpose, none more than LOOK_GAP after the previous; any other
    action is a look of its own."""

    first_at: datetime
    last_at: datetime
    count: int
    action: str
    outcome: str
    purpose: str
    actor_id: UUID | None
    actor_roles: list[str]
    actor_organisation_id: UUID | None
    object_type: str
    object_id: str


def looks_of(rows: Iterable[AccessLog], *, gap: timedelta = LOOK_GAP) -> list[Look]:
    """The access rows (oldest first) as looks, oldest first (docs/adr/0048)."""
    found: list[Look] = []
    current: dict[tuple[Any, ...], Look] = {}
    for row in rows:
        key = (
            row.actor_id,
            row.action,
            row.outcome,
            row.purpose,
            row.object_type,
            row.object_id,
        )
        look = current.get(key) if row.action in READ_ACTIONS else None
        if look is not None and row.occurred_at - look.last_at <= gap:
            look.last_at = row.occurred_at
            look.count += 1
            continue
        look = Look(
            first_at=row.occurred_at,
            last_at=row.occurred_at,
            count=1,
            action=row.action,
            outcome=row.outcome,
            purpose=row.purpose,
            actor_id=row.actor_id,
            actor_roles=list(row.actor_roles or []),
            actor_organisation_id=row.actor_organisation_id,
            object_type=row.object_type,
            object_id=row.object_id,
        )
        found.append(look)
        current[key] = look
    return found


def export_language(export: "SubjectExport") -> str:
    """The language the resident reads (docs/adr/0048): that of the consent text they were
    shown with their newest signal, else their stated preferred language; `nl` or `en`. Never
    the officer's."""
    for signal in reversed(export.signals):
        consent = getattr(signal, "consent", None)
        text = getattr(consent, "consent_text", None) if consent else None
        if text is not None and text.language:
            return supported_language(text.language)
        if signal.preferred_language:
            return supported_language(signal.preferred_language)
    return supported_language(None)


def subject_signals(*, subject_id: UUID | str) -> QuerySet[Signal]:
    return (
        Signal.objects.filter(subject_id=subject_id)
        .select_related(
            "source_organisation",
            "team__organisation",
            "neighbourhood",
            "consent__consent_text",
            "consent__withdrawal",
        )
        .prefetch_related(
            "reasons",
            Prefetch("events", SignalEvent.objects.order_by("created_at", "id")),
            Prefetch("notes", SignalNote.objects.order_by("created_at", "id")),
            Prefetch(
                "measurements",
                Measurement.objects.select_related("instrument").order_by("taken_at", "id"),
            ),
        )
        .order_by("created_at")
    )


def subject_export(
    *,
    subject_id: UUID | str,
    subject_request_id: UUID | str | None,
    period_from: datetime | None = None,
    period_to: datetime | None = None,
) -> SubjectExport:
    """Everything held about one resident: signals with consent, history, notes and the
    referrals to initiatives (who received their contact details, and when), and every
    access log row about them (oldest first), for the open access request
    `subject_request_id` of that resident (refused otherwise, see
    `subject_request_for_action`). `period_from` (inclusive) and `period_to` (exclusive)
    limit who-looked-at-it to a period. Raises `unknown_subject` when there is nothing. Completes
    nothing: the request is closed by hand once the export was sent (docs/adr/0018)."""
    subject_request = subject_request_for_action(
        kind=SubjectRequest.Kind.ACCESS,
        subject_id=subject_id,
        subject_request_id=subject_request_id,
    )
    signals = list(subject_signals(subject_id=subject_id))
    if not signals:
        raise DomainError("unknown_subject")
    rows = access_log_about_subject(subject_id=subject_id)
    if period_from:
        rows = rows.filter(occurred_at__gte=period_from)
    if period_to:
        rows = rows.filter(occurred_at__lt=period_to)
    history = list(rows.order_by("occurred_at", "event_id"))
    organisation_ids: set[Any] = {row.actor_organisation_id for row in history}
    organisation_ids.discard(None)
    names = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
    return SubjectExport(
        subject_id=signals[0].subject_id,
        subject_request=subject_request,
        generated_at=timezone.now(),
        signals=signals,
        access_history=history,
        organisation_names=names,
        retention_policies=retention_policies(),
        referrals=referrals_by_signal(signal_ids=[signal.pk for signal in signals]),
        looks=looks_of(history),
        period_from=period_from,
        period_to=period_to,
    )


def _exported_fields(export: "SubjectExport") -> tuple[str, ...]:
    """The signals' personal fields and note bodies always (ADR 13), measurement answers where
    the export holds some."""
    answers = any(m.answers for signal in export.signals for m in signal.measurements.all())
    return SUBJECT_FIELDS if answers else ERASED_FIELDS


def subject_export_disclosure(export: "SubjectExport") -> Disclosure:
    """What an Art. 15 export discloses: every personal field and note body of the resident's
    signals (named by id), on the officer's capability and the open access request."""
    signal_ids = [str(signal.pk) for signal in export.signals]
    consents = [str(signal.consent.pk) for signal in export.signals]
    return Disclosure(
        action=Action.EXPORT,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        rule=AUTHORISATION_RULE,
        subject_id=export.subject_id,
        object_type="signals.signal",
        object_id=signal_ids[0] if len(signal_ids) == 1 else "",
        consent_id=consents[0] if len(consents) == 1 else "",
        fields=_exported_fields(export),
        details={
            "subject_request_id": str(export.subject_request.pk),
            "signal_ids": signal_ids,
            "access_rows": len(export.access_history),
            "looks": len(export.looks),
            "language": export_language(export),
            **({"period": _period(export)} if export.period_from or export.period_to else {}),
        },
    )


def _period(export: "SubjectExport") -> dict[str, str]:
    return {
        key: value.isoformat()
        for key, value in (("from", export.period_from), ("to", export.period_to))
        if value
    }


def subject_requests_listed(*, filters: dict[str, Any]) -> Disclosure:
    """A list of registered requests: what it was filtered on, whose when one subject."""
    return Disclosure(
        action=Action.LIST,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        rule=AUTHORISATION_RULE,
        subject_id=filters.get("subject"),
        object_type="privacy.subjectrequest",
        details={"filters": {k: str(v) for k, v in filters.items() if k not in ("cursor",)}},
    )


def subject_request_get(*, subject_request_id: UUID | str) -> SubjectRequest:
    """One registered request with who registered and handled it (`subject_request_not_found`
    when there is none)."""
    request = (
        SubjectRequest.objects.select_related("registered_by", "handled_by")
        .filter(pk=subject_request_id)
        .first()
    )
    if request is None:
        raise DomainError("subject_request_not_found")
    return request


def subject_request_read(request: SubjectRequest) -> Disclosure:
    """One request opened at the desk: whose, which."""
    return Disclosure(
        action=Action.READ,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        rule=AUTHORISATION_RULE,
        subject_id=request.subject_id,
        object_type="privacy.subjectrequest",
        object_id=request.pk,
    )


def signal_subject(*, signal_id: Any) -> Signal:
    """The pseudonymous subject id of a signal, for a rights request that names the signal
    (Signal.DoesNotExist for an unknown id). Loads `pk` and `subject_id` only."""
    return Signal.objects.only("pk", "subject_id").get(pk=signal_id)


def subject_lookup(signal: Signal) -> Disclosure:
    """From a signal to its resident's subject id: logged as a read for a rights request."""
    return Disclosure(
        action=Action.READ,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        rule=AUTHORISATION_RULE,
        subject_id=signal.subject_id,
        object_type="signals.signal",
        object_id=signal.pk,
        details={"operation": "subject_lookup"},
    )


def initiative_names(recipients: list[str]) -> dict[str, str]:
    """Catalogue id -> name for the initiatives a consent names (`initiative:<id>`), in one
    query; entries no longer in the catalogue are left out."""
    ids = []
    for recipient in recipients:
        identity = str(recipient).removeprefix(INITIATIVE_PREFIX)
        if str(recipient).startswith(INITIATIVE_PREFIX):
            try:
                ids.append(UUID(identity))
            except ValueError:
                continue
    if not ids:
        return {}
    rows = Initiative.objects.filter(pk__in=ids).values_list("pk", "name")
    return {str(pk): name for pk, name in rows}


# --- the officer's reads, each logged here in its own transaction (docs/adr/0041) -------------


@dataclass(frozen=True)
class SubjectRequestPage:
    """A page of requests and, by subject, the initiatives that received each one's contact
    details (AVG art. 19)."""

    rows: list[SubjectRequest]
    recipients: dict[Any, list[DataRecipient]]


def subject_request_page(
    *,
    actor: User,
    filters: dict[str, Any],
    now: datetime,
    paginate: Callable[[QuerySet[SubjectRequest]], list[SubjectRequest]],
) -> SubjectRequestPage:
    """Registered requests filtered by `filters` (status, overdue "true"/"false", kind,
    subject; as the caller received them, and so logged), soonest due first, as the caller
    pages them, with their data recipients.

    Side effects: one AccessLog row (list, the filters) in the transaction that reads."""
    overdue = {"true": True, "false": False}.get(str(filters.get("overdue", "")))
    with access_logged(actor=actor) as log:
        rows = subject_request_list(
            status=filters.get("status") or None,
            overdue=overdue,
            kind=filters.get("kind") or None,
            subject_id=filters.get("subject") or None,
            now=now,
        )
        page = paginate(rows)
        recipients = subject_recipients(subject_ids=[row.subject_id for row in page])
        log.add(subject_requests_listed(filters=filters))
    return SubjectRequestPage(rows=page, recipients=recipients)


def subject_request_open(
    *, actor: User, subject_request_id: UUID | str
) -> tuple[SubjectRequest, list[DataRecipient]]:
    """One request opened at the desk and the initiatives that received its resident's contact
    details (`subject_request_not_found`).

    Side effects: one AccessLog row (read) for it; none when there is none."""
    with access_logged(actor=actor) as log:
        request = subject_request_get(subject_request_id=subject_request_id)
        recipients = subject_recipients(subject_ids=[request.subject_id]).get(
            request.subject_id, []
        )
        log.add(subject_request_read(request))
    return request, recipients


def signal_subject_lookup(*, actor: User, signal_id: Any) -> Signal:
    """`signal_subject` for a rights request that names a signal (Signal.DoesNotExist).

    Side effects: one AccessLog row (read, purpose data_subject_request); none when unknown."""
    with access_logged(actor=actor) as log:
        found = signal_subject(signal_id=signal_id)
        log.add(subject_lookup(found))
    return found
