"""Reads of the access log, for privacy officers, and what those reads disclose (each is itself
logged, as an audit_read row)."""

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from accounts.models import Organisation, User
from accounts.roles import VIEW_ACCESS_LOG
from audit.disclosure import Disclosure, access_logged
from audit.models import AccessLog, AccessLogSubject, Action, Purpose
from backend.errors import DomainError
from signals import selectors as signal_selectors
from signals.models import BreakGlassAccess
from signals.personal_data import BREAK_GLASS_REASON

AUTHORISATION_RULE = f"capability:{VIEW_ACCESS_LOG}"
Page = TypeVar("Page")


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


@dataclass(frozen=True)
class AccessLogPage:
    """A page of rows, newest first, and where the next begins (None: this is the last)."""

    rows: list[AccessLog]
    next_after: tuple[datetime, uuid.UUID] | None


def access_log_page(
    *,
    filters: AccessLogFilter,
    after: tuple[datetime, uuid.UUID] | None = None,
    size: int = 50,
) -> AccessLogPage:
    """The rows after (older than) the key `after` (occurred_at, event_id), `size` at most:
    keyset paging in the list's order, through every row, at the same cost on every page."""
    return keyset_page(access_log_list(filters=filters), after=after, size=size)


def keyset_page(
    rows: QuerySet[AccessLog], *, after: tuple[datetime, uuid.UUID] | None, size: int
) -> AccessLogPage:
    """`rows` (in the list's order) after the key `after`, `size` at most."""
    if after is not None:
        at, event_id = after
        rows = rows.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, event_id__lt=event_id))
    found = list(rows[: size + 1])
    page = found[:size]
    more = len(found) > size
    return AccessLogPage(page, (page[-1].occurred_at, page[-1].event_id) if more else None)


def names_of_users(
    user_ids: Iterable[Any], organisation_ids: Iterable[Any] = ()
) -> tuple[dict[Any, str], dict[Any, str]]:
    """Staff members' and organisations' names by id (two queries at most): for the officer,
    who may see who acted. Residents are never actors."""
    user_ids = {pk for pk in user_ids if pk}
    organisation_ids = {pk for pk in organisation_ids if pk}
    users = User.objects.filter(pk__in=user_ids).values_list("pk", "full_name", "email")
    actors = {pk: full_name or email for pk, full_name, email in users}
    organisations = (
        dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
        if organisation_ids
        else {}
    )
    return actors, organisations


def names_of(rows: list[AccessLog]) -> tuple[dict[Any, str], dict[Any, str]]:
    """The actors' and their organisations' names for a page of rows."""
    return names_of_users(
        (row.actor_id for row in rows), (row.actor_organisation_id for row in rows)
    )


def access_log_stream(*, filters: AccessLogFilter, page_size: int = 2000) -> Iterator[AccessLog]:
    """`access_log_list` for an export: the same rows in the same order, read a keyset page at a
    time (`access_log_page`). Each page is its own short query, so a streamed response holds no
    cursor, no snapshot and at most one page in memory, however slowly the client reads
    (docs/adr/0047)."""
    after = None
    while True:
        page = access_log_page(filters=filters, after=after, size=page_size)
        yield from page.rows
        if page.next_after is None:
            return
        after = page.next_after


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


# --- the officer's reads, each logged here in its own transaction (docs/adr/0041) -------------


def access_log_search(
    *,
    actor: User,
    filters: AccessLogFilter,
    fmt: str,
    paginate: Callable[[QuerySet[AccessLog]], Page],
) -> Page:
    """The rows matching `filters` as the caller pages them (`paginate` gets the list's query:
    the API's cursor, the page's keyset); `fmt` names the front end in the row.

    Side effects: one AccessLog row (audit_read, the filters) in the transaction that reads."""
    with access_logged(actor=actor) as log:
        page = paginate(access_log_list(filters=filters))
        log.add(access_log_read(filters=filters, fmt=fmt))
    return page


def access_log_export(
    *, actor: User, filters: AccessLogFilter, limit: int, page_size: int = 2000
) -> Iterator[AccessLog]:
    """The rows matching `filters` for a CSV export, read page by page as the response streams
    (`access_log_stream`); refused as `access_log_export_too_large` above `limit` rows.

    Side effects: one AccessLog row (audit_read, format csv), written before any row streams;
    none when refused."""
    with access_logged(actor=actor) as log:
        log.add(access_log_read(filters=filters, fmt="csv"))
        if access_log_list(filters=filters)[: limit + 1].count() > limit:  # at most limit + 1
            raise DomainError("access_log_export_too_large", limit=limit)
    return access_log_stream(filters=filters, page_size=page_size)


def break_glass_openings(
    *,
    actor: User,
    paginate: Callable[[QuerySet[BreakGlassAccess]], list[BreakGlassAccess]],
) -> list[BreakGlassAccess]:
    """Break-glass openings with their typed reasons, as the caller pages them (`paginate` gets
    every opening, newest first, and returns the page's openings).

    Side effects: one AccessLog row (audit_read, the reasons, whose signals) for that page."""
    with access_logged(actor=actor) as log:
        page = paginate(signal_selectors.break_glass_list())
        log.add(break_glass_review(page))
    return page


def break_glass_opening_get(*, actor: User, access_id: Any) -> BreakGlassAccess:
    """One break-glass opening with its typed reason (`break_glass_not_found`).

    Side effects: one AccessLog row (audit_read) for it; none when there is none."""
    with access_logged(actor=actor) as log:
        opening = signal_selectors.break_glass_list().filter(pk=access_id).first()
        if opening is None:
            raise DomainError("break_glass_not_found")
        log.add(break_glass_review([opening]))
    return opening
