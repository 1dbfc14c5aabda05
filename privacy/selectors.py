"""Reads of the access log, for privacy officers, and what those reads disclose (each is itself
logged, as an audit_read row)."""

import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet

from accounts.roles import VIEW_ACCESS_LOG
from audit.disclosure import Disclosure
from audit.models import AccessLog, AccessLogSubject, Action, Purpose
from signals.personal_data import BREAK_GLASS_REASON

AUTHORISATION_RULE = f"capability:{VIEW_ACCESS_LOG}"


@dataclass(frozen=True)
class AccessLogFilter:
    subject_id: uuid.UUID | None = None
    actor_id: uuid.UUID | None = None
    action: str | None = None
    outcome: str | None = None
    break_glass: bool | None = None  # rows flagged details.break_glass (signals ADR 0014)
    object_type: str | None = None  # e.g. accounts.user for account changes (ADR 0016)
    object_id: str | None = None
    period_from: datetime | None = None
    period_to: datetime | None = None

    def as_details(self) -> dict[str, Any]:
        """The filter as logged with the audit read: ids and codes, no values."""
        return {
            key: value.astimezone(UTC).isoformat() if isinstance(value, datetime) else str(value)
            for key, value in asdict(self).items()
            if value is not None
        }


def access_log_about_subject(*, subject_id: Any) -> QuerySet[AccessLog]:
    """Rows about one resident: single-subject rows (their `subject_id`), and rows about several
    (queue, my-signals, a break-glass review) that list them (AccessLogSubject). Both sides are
    index lookups, joined as one UNION ALL of event ids (an OR across two tables would scan the
    log; docs/adr/0047, docs/performance.md)."""
    direct = AccessLog.objects.filter(subject_id=subject_id).order_by().values("event_id")
    listed = AccessLogSubject.objects.filter(subject_id=subject_id).order_by().values("event_id")
    return AccessLog.objects.filter(event_id__in=direct.union(listed, all=True))


def access_log_list(*, filters: AccessLogFilter) -> QuerySet[AccessLog]:
    """Rows matching `filters`, newest first (by written time: sealed or not, docs/adr/0025)."""
    rows = AccessLog.objects.all()
    if filters.subject_id:
        rows = access_log_about_subject(subject_id=filters.subject_id)
    if filters.actor_id:
        rows = rows.filter(actor_id=filters.actor_id)
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.outcome:
        rows = rows.filter(outcome=filters.outcome)
    if filters.object_type:
        rows = rows.filter(object_type=filters.object_type)
    if filters.object_id:
        rows = rows.filter(object_id=filters.object_id)
    if filters.break_glass is True:
        rows = rows.filter(details__break_glass=True)
    elif filters.break_glass is False:
        # Not exclude(): on a row without the key the comparison is NULL and would drop it.
        rows = rows.filter(Q(details__break_glass__isnull=True) | Q(details__break_glass=False))
    if filters.period_from:
        rows = rows.filter(occurred_at__gte=filters.period_from)
    if filters.period_to:
        rows = rows.filter(occurred_at__lt=filters.period_to)
    return rows.order_by("-occurred_at", "-event_id")


def access_log_stream(*, filters: AccessLogFilter, page_size: int = 2000) -> Iterator[AccessLog]:
    """`access_log_list` for an export: the same rows in the same order, read a keyset page at a
    time (`(occurred_at, event_id)` below the last row's, LIMIT `page_size`). Each page is its
    own short query, so a streamed response holds no cursor, no snapshot and at most one page
    in memory, however slowly the client reads (docs/adr/0047)."""
    rows = access_log_list(filters=filters)
    last: AccessLog | None = None
    while True:
        page_rows = rows
        if last is not None:
            page_rows = rows.filter(occurred_at__lte=last.occurred_at).filter(
                Q(occurred_at__lt=last.occurred_at) | Q(event_id__lt=last.event_id)
            )
        page = list(page_rows[:page_size])
        yield from page
        if len(page) < page_size:
            return
        last = page[-1]


def _audit_read(**rest: Any) -> Disclosure:
    return Disclosure(
        action=Action.AUDIT_READ, purpose=Purpose.AUDIT, rule=AUTHORISATION_RULE, **rest
    )


def access_log_read(*, filters: AccessLogFilter, fmt: str) -> Disclosure:
    """A read of the access log: the filter, whose rows (when one subject was asked for)."""
    return _audit_read(
        subject_id=filters.subject_id,
        object_type="privacy.accesslog",
        details={"filters": filters.as_details(), "format": fmt},
    )


def break_glass_review(page: list[Any]) -> Disclosure:
    """A page of break-glass openings: their typed reasons, whose signals they opened."""
    return _audit_read(
        object_type="signals.breakglassaccess",
        fields=[BREAK_GLASS_REASON] if page else [],
        details={"count": len(page), "subject_ids": [str(a.signal.subject_id) for a in page]},
    )
