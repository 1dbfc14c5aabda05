"""Sealing the access log: numbering and hash-chaining committed rows, off the request path.

A request writes its row without `sequence`, `previous_hash` and `row_hash`, in its own
transaction and without any shared lock (audit.services). The sealer takes the chain lock,
reads the head of the chain, and gives the unsealed rows it can see the next sequence numbers
and their hashes, oldest written first (docs/adr/0025).

Why this is correct with concurrent writers: the chain order is the order rows are *sealed*,
not the order they were written. A sealer sees only committed rows; a row committed later
than a younger one is simply sealed after it, with a higher sequence. Nothing waits for
transactions in flight, and nothing is skipped: an unsealed row stays unsealed until a sealer
sees it. Sealers exclude each other with the advisory lock; should one bypass it, the unique
sequence refuses a fork, and the append-only trigger refuses to seal a row twice.
"""

import logging
from dataclasses import dataclass

from django.db import connection, transaction

from audit import chain
from audit.models import AccessLog

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key: any constant no other code uses ("NEN7513" in ASCII).
CHAIN_LOCK_KEY = 0x4E454E37353133
SEAL_BATCH_SIZE = 500
CHAIN_FIELDS = ["sequence", "previous_hash", "row_hash"]


class SealConflict(Exception):
    """Rows this sealer chose were sealed by someone else meanwhile (the lock was bypassed)."""


@dataclass(frozen=True)
class SealResult:
    sealed: int = 0
    head_sequence: int = 0
    lock_busy: bool = False  # the chain lock was held elsewhere and we did not wait


def _take_chain_lock(*, wait: bool) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite (demo): one writer at a time; the unique sequence refuses a fork
    with connection.cursor() as cursor:
        if wait:  # bounded by lock_timeout (backend.database)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _seal_batch(*, wait: bool, batch_size: int) -> SealResult:
    with transaction.atomic():
        if not _take_chain_lock(wait=wait):
            return SealResult(lock_busy=True)
        head = (
            AccessLog.objects.filter(sequence__isnull=False)
            .order_by("-sequence")
            .values_list("sequence", "row_hash")
            .first()
        )
        sequence, previous_hash = head if head else (0, chain.GENESIS_HASH)
        rows = list(
            AccessLog.objects.filter(row_hash__isnull=True).order_by("occurred_at", "event_id")[
                :batch_size
            ]
        )
        for row in rows:  # hashed as loaded, exactly as the verifier will read them
            sequence += 1
            row.sequence, row.previous_hash = sequence, previous_hash
            row.row_hash = previous_hash = chain.row_hash(chain.row_values(row))
        if rows:
            unsealed = AccessLog.objects.filter(row_hash__isnull=True)
            if unsealed.bulk_update(rows, CHAIN_FIELDS) != len(rows):
                raise SealConflict("access log rows were sealed by another sealer")
        return SealResult(sealed=len(rows), head_sequence=sequence)


def access_log_seal(
    *, wait: bool = True, max_rows: int | None = None, batch_size: int = SEAL_BATCH_SIZE
) -> SealResult:
    """Seals every unsealed row visible now (at most `max_rows`), one transaction per batch.

    `wait=False` (the periodic task) gives up at once when the chain lock is held; `wait=True`
    (the command, the verifier) waits for it, at most the session's lock_timeout.

    Side effects: fills sequence, previous_hash and row_hash of unsealed AccessLog rows."""
    sealed, head = 0, 0
    while max_rows is None or sealed < max_rows:
        size = batch_size if max_rows is None else min(batch_size, max_rows - sealed)
        batch = _seal_batch(wait=wait, batch_size=size)
        if batch.lock_busy:
            return SealResult(sealed=sealed, head_sequence=head, lock_busy=True)
        sealed += batch.sealed
        head = batch.head_sequence or head
        if batch.sealed < size:
            break
    if sealed:
        logger.info("access log sealed", extra={"sealed": sealed, "head_sequence": head})
    return SealResult(sealed=sealed, head_sequence=head)
