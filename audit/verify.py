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
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from audit import chain
from audit.models import AccessLog
from audit.sealing import access_log_seal

TRIGGERS = {
    "postgresql": ("privacy_accesslog_append_only", "privacy_accesslog_no_truncate"),
    "sqlite": ("privacy_accesslog_no_update", "privacy_accesslog_no_delete"),
}
MAX_LOOKUPS = 100  # classification queries per run; findings beyond that are still reported


@dataclass(frozen=True)
class Finding:
    # edited | deleted | reordered | head_mismatch | guard_missing | unsealed | malformed
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
    expected = TRIGGERS.get(connection.vendor, ())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'privacy_accesslog'::regclass "
                "AND tgenabled <> 'D'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'privacy_accesslog'"
            )
        present = {name for (name,) in cursor.fetchall()}
    return [name for name in expected if name not in present]


def _rows(chunk_size: int) -> Iterator[Any]:
    sealed = AccessLog.objects.filter(sequence__isnull=False)
    return sealed.order_by("sequence").iterator(chunk_size=chunk_size)


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
    *, expect_head: tuple[int, str] | None = None, chunk_size: int = 2000, seal: bool = True
) -> Report:
    """Seals what is unsealed (unless `seal=False`), then recomputes the whole chain.

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
    for row in _rows(chunk_size):
        report.rows += 1
        _check_row(row, previous, report, lookups, moved)
        previous = row
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
