"""Reads for signals. Every team read starts from Signal.objects.visible_to(user).

A read that shows someone's personal data (or whose signals a list names) writes its access-log
row itself, in its own transaction (audit.disclosure.access_logged, signals.disclosures;
docs/adr/0041): the API and the workspace call the same function and so write the same row."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from audit.disclosure import access_logged
from backend.backlog import Backlog, backlog_of
from backend.errors import DomainError
from signals import deadlines, disclosures, providers, workflow
from signals.grounds import Rule
from signals.models import (
    BreakGlassAccess,
    ConsentText,
    Outcome,
    ReasonCode,
    Signal,
    SignalEvent,
    SignalNote,
    Status,
)

WIJK_CODE = re.compile(r"WK[0-9]{6}")
BUURT_CODE = re.compile(r"BU[0-9]{8}")
# The queue's annotation of each extra deadline kind (signals.providers.queue_deadlines).
QUEUE_DEADLINE_PREFIX = deadlines.QUEUE_DEADLINE_PREFIX
# How the queue can be ordered: the cursor pagination's ordering per choice, a unique field last.
QUEUE_ORDERINGS: dict[str, tuple[str, str]] = {
    "deadline": ("due_at", "id"),
    "newest": ("-created_at", "id"),
}


class Assigned(StrEnum):
    ME = "me"
    NOBODY = "none"


@dataclass(frozen=True)
class QueueFilter:
    """What the caller asked of the queue, already parsed (signals.api.filters for the API,
    workspace.forms.QueueFilterForm for the page): empty means "any"."""

    statuses: frozenset[str] = frozenset()
    urgencies: frozenset[str] = frozenset()
    target_groups: frozenset[str] = frozenset()
    wijk: str = ""  # a CBS code (WK + 6 digits) or the wijk's name, in any case
    buurt: str = ""  # a CBS code (BU + 8 digits) or the buurt's name, in any case
    team_id: UUID | None = None
    overdue: bool | None = None
    assigned: Assigned | None = None
    ordering: str = "deadline"  # a key of QUEUE_ORDERINGS

    @property
    def order_by(self) -> tuple[str, str]:
        return QUEUE_ORDERINGS[self.ordering]


def _in_area(queryset: QuerySet[Signal], filters: QueueFilter) -> QuerySet[Signal]:
    wijk, buurt = filters.wijk.strip(), filters.buurt.strip()
    if wijk and WIJK_CODE.fullmatch(wijk.upper()):
        queryset = queryset.filter(neighbourhood__wijk_code=wijk.upper())
    elif wijk:
        queryset = queryset.filter(neighbourhood__wijk_name__iexact=wijk)
    if buurt and BUURT_CODE.fullmatch(buurt.upper()):
        queryset = queryset.filter(neighbourhood__code=buurt.upper())
    elif buurt:
        queryset = queryset.filter(neighbourhood__name__iexact=buurt)
    return queryset


def _filtered(queryset: QuerySet[Signal], user: User, filters: QueueFilter) -> QuerySet[Signal]:
    if filters.statuses:
        queryset = queryset.filter(status__in=sorted(filters.statuses))
    if filters.urgencies:
        queryset = queryset.filter(urgency__in=sorted(filters.urgencies))
    if filters.target_groups:
        queryset = queryset.filter(target_group__in=sorted(filters.target_groups))
    if filters.team_id is not None:
        queryset = queryset.filter(team_id=filters.team_id)
    if filters.overdue is not None:
        late = {"status__in": workflow.OPEN_FOR_TEAM, "due_at__lt": timezone.now()}
        queryset = queryset.filter(**late) if filters.overdue else queryset.exclude(**late)
    if filters.assigned == Assigned.ME:
        queryset = queryset.filter(assigned_to=user)
    elif filters.assigned == Assigned.NOBODY:
        queryset = queryset.filter(assigned_to__isnull=True)
    return _in_area(queryset, filters)


def queue_list(*, user: User, filters: QueueFilter) -> QuerySet[Signal]:
    """The queue of the caller's teams: open work unless `filters` names statuses, in no order
    (the caller's pagination orders by `filters.order_by`). Signals opened by break-glass are
    not team work and stay out of it."""
    queryset = Signal.objects.visible_to(user, break_glass=False, ids_first=True).filter(
        restricted_at__isnull=True
    )
    if not filters.statuses:
        queryset = queryset.filter(status__in=workflow.OPEN_FOR_TEAM)
    queryset = (
        _filtered(queryset, user, filters)
        .select_related("team", "neighbourhood", "assigned_to")
        .prefetch_related(Prefetch("reasons", queryset=ReasonCode.objects.only("id", "code")))
    )
    # Deadlines of the layers above (a follow-up measurement), as annotations: no extra query.
    extra = providers.queue_deadlines.ask(queryset)
    return queryset.annotate(**{f"{QUEUE_DEADLINE_PREFIX}{kind}": e for kind, e in extra.items()})


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue as shown, and the kinds of extra deadline its rows carry."""

    rows: list[Signal]
    deadline_kinds: list[str]


def queue_page(
    *,
    user: User,
    filters: QueueFilter,
    paginate: Callable[[QuerySet[Signal]], Sequence[Signal] | None],
) -> QueuePage:
    """The page of the queue the caller shows: `paginate` cuts it from `queue_list` ordered by
    `filters.order_by` (the API's cursor, the page's number). Logged as one list row naming
    the subjects on that page (docs/adr/0014, 0041).

    Side effects: one AccessLog row (list, team_queue)."""
    with access_logged(actor=user) as log:
        queryset = queue_list(user=user, filters=filters)
        rows = list(paginate(queryset.order_by(*filters.order_by)) or [])
        log.add(disclosures.signals_listed(rows, rule=Rule.TEAM_QUEUE))
    return QueuePage(rows=rows, deadline_kinds=queue_deadline_kinds(queryset))


def queue_deadline_kinds(queryset: QuerySet[Signal]) -> list[str]:
    """The kinds of extra deadline `queue_list` annotated (signals.providers.queue_deadlines)."""
    prefix = QUEUE_DEADLINE_PREFIX
    return [name[len(prefix) :] for name in queryset.query.annotations if name.startswith(prefix)]


def with_detail(queryset: QuerySet[Signal]) -> QuerySet[Signal]:
    """What the detail shows: the signal with its team, consent, history and notes."""
    return queryset.select_related(
        "team", "neighbourhood", "assigned_to", "consent__consent_text", "consent__withdrawal"
    ).prefetch_related(
        "reasons",
        Prefetch("events", queryset=SignalEvent.objects.select_related("actor")),
        Prefetch("notes", queryset=SignalNote.objects.select_related("author")),
    )


def signal_get_for_team(*, user: User, signal_id: Any) -> Signal:
    """One signal with its history and notes, readable by team, share or an active break-glass
    grant (signals.visibility.grounds_of names which); outside that it is 404, and a restricted
    signal (AVG art. 18) is 423.

    Side effects: one AccessLog row (read; the fields holding a value; a break-glass read is
    flagged), in this read's transaction: no row, no read."""
    with access_logged(actor=user) as log:
        signal = with_detail(Signal.objects.visible_to(user).with_grounds(user)).get(pk=signal_id)
        if signal.restricted_at:
            raise DomainError("processing_restricted")
        log.add(disclosures.signal_read(signal))
    return signal


def escalation_due_signal_ids(*, limit: int, now: Any = None) -> list[Any]:
    """Routed signals past their acknowledgement deadline that were not escalated yet and are
    not restricted, for the escalation task."""
    return list(
        Signal.objects.filter(
            status=Status.ROUTED,
            escalated_at__isnull=True,
            restricted_at__isnull=True,
            acknowledge_due_at__lt=now or timezone.now(),
        ).values_list("pk", flat=True)[:limit]
    )


def my_signals(*, user: User, limit: int = 200) -> list[Signal]:
    """The caller's own submissions (newest `limit`), for status only, and whether the
    resident was connected. Each carries `connected_to`: the initiative's name where the
    resident's consent covers it, asked of the `connected_names` provider at this read; None
    for a signal whose personal data was erased or whose processing is restricted
    (docs/adr/0026).

    Side effects: one AccessLog row (list, signaller_own_signal): status only, but the status
    of a known resident's follow-up."""
    with access_logged(actor=user) as log:
        rows = _my_signals(user, limit)
        log.add(disclosures.signals_listed(rows, rule=Rule.SIGNALLER_OWN_SIGNAL))
    return rows


def _my_signals(user: User, limit: int) -> list[Signal]:
    closing = SignalEvent.objects.filter(
        signal=OuterRef("pk"), type=SignalEvent.Type.TRANSITIONED, to_status=Status.CLOSED
    ).order_by("-id")
    rows = list(
        Signal.objects.submitted_by(user)
        .only(
            "id",
            "subject_id",
            "client_uuid",
            "status",
            "outcome",
            "created_at",
            "updated_at",
            "restricted_at",
            "personal_data_erased_at",
        )
        .annotate(connected_referral_id=Subquery(closing.values("data__referral_id")[:1]))
        .order_by("-created_at")[:limit]
    )
    referral_ids = {
        signal.pk: signal.connected_referral_id
        for signal in rows
        if signal.outcome == Outcome.CONNECTED_TO_INITIATIVE
        and signal.connected_referral_id
        and signal.personal_data_erased_at is None
        and signal.restricted_at is None
    }
    names = providers.connected_names.ask(referral_ids) if referral_ids else {}
    for signal in rows:
        signal.connected_to = names.get(signal.pk)
    return rows


def break_glass_list() -> QuerySet[BreakGlassAccess]:
    """Every break-glass opening, newest first, for the privacy officer's review."""
    return BreakGlassAccess.objects.select_related("signal", "user").only(
        "id",
        "reason",
        "opened_at",
        "expires_at",
        "signal__id",
        "signal__subject_id",
        "user__id",
        "user__organisation_id",
    )


def active_consent_texts() -> QuerySet[ConsentText]:
    return ConsentText.objects.filter(is_active=True).order_by("language", "-created_at")


def active_reason_codes() -> QuerySet[ReasonCode]:
    return ReasonCode.objects.filter(is_active=True)


def routing_backlog() -> Backlog:
    """Signals accepted and not yet routed (received, or forwarded and waiting for the next
    team), as the routing sweeper selects them, and the longest wait since their last change:
    the outbox backlog of routing (docs/adr/0006, 0045). Counts only; no access-log row."""
    return backlog_of(
        Signal.objects.filter(status__in=workflow.ROUTABLE, restricted_at__isnull=True),
        "updated_at",
    )
