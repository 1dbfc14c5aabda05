"""Verifying the access log: recompute the chain and name every row that does not fit.

Walks the rows in sequence order, recomputes each row's hash and checks the link to the row
before it. What it can tell apart:

- edited: a row whose content no longer matches its hash while it still links to its
  predecessor; or a row whose hash was recomputed after an edit, seen through the next row's
  broken link;
- deleted: a gap in the sequence (the numbers are assigned without gaps);
- reordered: a row whose hash fails and whose previous_hash points at another row than the one
  now before it (its sequence was changed).

Deleting the newest rows leaves no gap; anchor the head (`--expect-head`) to catch that.

Rows are sealed after they are written (audit.sealing, docs/adr/0025). The verifier seals
what it can first (unless told not to), then walks the sealed rows, and reports as `unsealed`
every row still without its chain columns that was written longer ago than
ACCESS_LOG_SEAL_MAX_AGE_SECONDS: the sealer is not running, or something keeps it from a row.
A row with only some of its chain columns is `malformed` (the trigger never lets that happen).

The walk reads keyset pages (`sequence > last ORDER BY sequence LIMIT n`, n is
ACCESS_LOG_VERIFY_PAGE_SIZE), each its own short query on the sequence index: memory and
temporary space are one page, whatever the size of the log. (An iterator outside a transaction
is a WITH HOLD cursor, which PostgreSQL materialises in full: 6.4 GB at 10M rows.) Per page it
also checks the residents of rows about several (AccessLogSubject) against the hashed
`details.subject_ids` they derive from: a missing, extra or changed one is `subjects_mismatch`,
since the search by resident reads that table (docs/adr/0047).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from audit import chain
from audit.models import AccessLog, AccessLogSubject
from audit.sealing import access_log_seal
from audit.services import listed_subjects

TRIGGERS = {
    "postgresql": {
        "privacy_accesslog": ("privacy_accesslog_append_only", "privacy_accesslog_no_truncate"),
        "audit_accesslogsubject": (
            "audit_accesslogsubject_append_only",
            "audit_accesslogsubject_no_truncate",
        ),
    },
    "sqlite": {
        "privacy_accesslog": ("privacy_accesslog_no_update", "privacy_accesslog_no_delete"),
        "audit_accesslogsubject": (
            "audit_accesslogsubject_no_update",
            "audit_accesslogsubject_no_delete",
        ),
    },
}
MAX_LOOKUPS = 100  # classification queries per run; findings beyond that are still reported


@dataclass(frozen=True)
class Finding:
    # edited | deleted | reordered | head_mismatch | guard_missing | unsealed | malformed |
    # subjects_mismatch
    kind: str
    sequence: int | None
    event_id: str | None
    message: str


@dataclass
class Report:
    rows: int = 0
    head_sequence: int = 0
    head_hash: str = chain.GENESIS_HASH
    sealed_now: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def append_only_guard_missing() -> list[str]:
    """Names of append-only triggers that are absent or disabled on this database."""
    missing = []
    for table, expected in TRIGGERS.get(connection.vendor, {}).items():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                    "AND tgenabled <> 'D'",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [table],
                )
            present = {name for (name,) in cursor.fetchall()}
        missing += [name for name in expected if name not in present]
    return missing


def _pages(page_size: int) -> Iterator[list[Any]]:
    """The sealed rows in sequence order, a keyset page at a time: each page one short query,
    no cursor kept open between them."""
    sealed = AccessLog.objects.filter(sequence__isnull=False).order_by("sequence")
    last = 0
    while True:
        page = list(sealed.filter(sequence__gt=last)[:page_size])
        if page:
            yield page
        if len(page) < page_size:
            return
        last = page[-1].sequence


def _check_subjects(page: list[Any], report: Report) -> None:
    """AccessLogSubject holds exactly the residents each row's hashed details list."""
    expected = {row.event_id: set(listed_subjects(row.details or {})) for row in page}
    stored: dict[Any, set] = {}
    found = AccessLogSubject.objects.filter(event_id__in=list(expected)).values_list(
        "event_id", "subject_id"
    )
    for event_id, subject_id in found:
        stored.setdefault(event_id, set()).add(subject_id)
    for row in page:
        if stored.get(row.event_id, set()) != expected[row.event_id]:
            report.findings.append(
                Finding(
                    "subjects_mismatch",
                    row.sequence,
                    str(row.event_id),
                    f"row at sequence {row.sequence} (event {row.event_id}): the residents "
                    "indexed for the search by resident differ from the ones it lists",
                )
            )


class _Lookups:
    """Finds rows by hash to classify a break; bounded so a mass edit cannot take hours."""

    def __init__(self) -> None:
        self.left = MAX_LOOKUPS

    def sequence_of(self, row_hash: str) -> int | None:
        if self.left <= 0:
            return None
        self.left -= 1
        found = AccessLog.objects.filter(row_hash=row_hash).values_list("sequence", flat=True)
        return next(iter(found), None)


def verify_chain(
    *, expect_head: tuple[int, str] | None = None, page_size: int | None = None, seal: bool = True
) -> Report:
    """Seals what is unsealed (unless `seal=False`), then recomputes the whole chain, a keyset
    page of `page_size` rows (default ACCESS_LOG_VERIFY_PAGE_SIZE) at a time.

    Side effects: with `seal`, as audit.sealing.access_log_seal; otherwise reads only."""
    report = Report()
    if seal:
        try:
            report.sealed_now = access_log_seal(wait=True).sealed
        except DatabaseError as exc:  # lock_timeout: a sealer or a stray lock holds the chain
            report.findings.append(
                Finding("unsealed", None, None, f"could not seal before verifying: {exc}")
            )
    lookups = _Lookups()
    previous: Any = None
    moved: set[str] = set()
    for page in _pages(page_size or settings.ACCESS_LOG_VERIFY_PAGE_SIZE):
        for row in page:
            report.rows += 1
            _check_row(row, previous, report, lookups, moved)
            previous = row
        _check_subjects(page, report)
    if previous is not None:
        report.head_sequence, report.head_hash = previous.sequence, previous.row_hash
    if expect_head is not None:
        _check_head(expect_head, report)
    _check_unsealed(report)
    for name in append_only_guard_missing():
        report.findings.append(
            Finding("guard_missing", None, None, f"append-only trigger {name} is missing")
        )
    return report


def _check_row(row: Any, previous: Any, report: Report, lookups: _Lookups, moved: set) -> None:
    event = str(row.event_id)
    expected_sequence = previous.sequence + 1 if previous is not None else 1
    expected_link = previous.row_hash if previous is not None else chain.GENESIS_HASH
    content_ok = chain.row_hash(chain.row_values(row)) == row.row_hash
    linked = row.previous_hash == expected_link
    findings = report.findings

    if row.sequence > expected_sequence:
        missing = (
            str(expected_sequence)
            if row.sequence - expected_sequence == 1
            else f"{expected_sequence}-{row.sequence - 1}"
        )
        findings.append(
            Finding(
                "deleted",
                expected_sequence,
                None,
                f"row(s) {missing} deleted: missing before sequence {row.sequence} (event {event})",
            )
        )
        linked = True  # the gap explains the broken link

    if not content_ok:
        points_elsewhere = not linked and row.previous_hash != chain.GENESIS_HASH
        original_predecessor = lookups.sequence_of(row.previous_hash) if points_elsewhere else None
        if original_predecessor is not None:
            moved.add(row.row_hash)
            findings.append(
                Finding(
                    "reordered",
                    row.sequence,
                    event,
                    f"row at sequence {row.sequence} (event {event}) was moved: it was chained "
                    f"after the row now at sequence {original_predecessor}",
                )
            )
        else:
            findings.append(
                Finding(
                    "edited",
                    row.sequence,
                    event,
                    f"row at sequence {row.sequence} (event {event}) was edited: its content "
                    "does not match its hash",
                )
            )
        return

    if not linked and previous is not None and row.previous_hash not in moved:
        if previous.row_hash in moved:
            return  # the row before this one was moved here; already reported
        findings.append(
            Finding(
                "edited",
                previous.sequence,
                str(previous.event_id),
                f"row at sequence {previous.sequence} (event {previous.event_id}) was edited "
                f"and its hash rewritten: sequence {row.sequence} (event {event}) no longer "
                "links to it",
            )
        )


def _check_head(expect_head: tuple[int, str], report: Report) -> None:
    sequence, row_hash = expect_head
    actual = AccessLog.objects.filter(sequence=sequence).values_list("row_hash", flat=True).first()
    if actual is None:
        report.findings.append(
            Finding(
                "deleted",
                sequence,
                None,
                f"anchored head row {sequence} is gone: the newest rows were deleted",
            )
        )
    elif actual != row_hash:
        report.findings.append(
            Finding(
                "head_mismatch",
                sequence,
                None,
                f"row {sequence} no longer has the anchored hash",
            )
        )


def _check_unsealed(report: Report) -> None:
    bound = timedelta(seconds=settings.ACCESS_LOG_SEAL_MAX_AGE_SECONDS)
    stale = AccessLog.objects.filter(row_hash__isnull=True, occurred_at__lt=timezone.now() - bound)
    for event_id, occurred_at in stale.order_by("occurred_at").values_list(
        "event_id", "occurred_at"
    )[:MAX_LOOKUPS]:
        report.findings.append(
            Finding(
                "unsealed",
                None,
                str(event_id),
                f"row (event {event_id}) written at {occurred_at.isoformat()} is still unsealed "
                f"after {int(bound.total_seconds())} s",
            )
        )
    chain_columns = ("sequence", "previous_hash", "row_hash")
    partial = AccessLog.objects.exclude(**{f"{name}__isnull": True for name in chain_columns})
    partial = partial.exclude(**{f"{name}__isnull": False for name in chain_columns})
    for event_id in partial.values_list("event_id", flat=True)[:MAX_LOOKUPS]:
        report.findings.append(
            Finding(
                "malformed",
                None,
                str(event_id),
                f"row (event {event_id}) has only some of its chain columns",
            )
        )
