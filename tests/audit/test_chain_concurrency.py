"""Writers take no chain lock, and concurrent sealers cannot fork the chain: real connections in
threads, real commits (docs/adr/0025)."""

import threading
import time

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from audit import sealing
from audit.context import AccessContext
from audit.models import AccessLog, Action, Purpose
from audit.sealing import CHAIN_LOCK_KEY, access_log_seal
from audit.services import access_log_record
from audit.verify import verify_chain

# Real commits across connections; serialized_rollback restores the seeded rows (role groups,
# content types) after the flush, as the other transactional tests expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEALERS = 4


def write(count: int) -> None:
    for _ in range(count):
        access_log_record(context=AccessContext.system(), action=Action.READ, purpose=Purpose.AUDIT)


def other_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})


def in_threads(target, count: int) -> list[BaseException]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def sequences() -> list[int]:
    return list(AccessLog.objects.order_by("sequence").values_list("sequence", flat=True))


def test_a_held_chain_lock_does_not_delay_a_write():
    with other_connection() as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [CHAIN_LOCK_KEY])
        began = time.monotonic()
        write(3)
        took = time.monotonic() - began
        holder.execute("SELECT pg_advisory_unlock(%s)", [CHAIN_LOCK_KEY])
    assert took < 1.0  # with the old per-write lock: blocked until lock_timeout (5 s), then 500
    assert AccessLog.objects.filter(row_hash__isnull=True).count() == 3


def test_concurrent_sealers_chain_every_row_exactly_once():
    write(120)
    barrier = threading.Barrier(SEALERS, timeout=10)

    def seal() -> None:
        barrier.wait()
        access_log_seal(wait=True, batch_size=7)

    assert in_threads(seal, SEALERS) == []
    assert sequences() == list(range(1, 121))
    report = verify_chain(seal=False)
    assert report.ok, report.findings


def test_sealers_that_bypass_the_lock_are_refused_rather_than_forking(monkeypatch):
    write(30)
    barrier = threading.Barrier(SEALERS, timeout=10)

    def no_lock(*, wait: bool) -> bool:
        barrier.wait()  # every sealer is inside its transaction, about to read the head
        return True

    monkeypatch.setattr(sealing, "_take_chain_lock", no_lock)
    errors = in_threads(lambda: access_log_seal(wait=True), SEALERS)
    # The first to commit wins; one that read the rows before that commit finds them sealed
    # (or hits the unique sequence) and rolls back; one that read after finds nothing to do.
    # How many of each depends on timing: assert the invariant, never a fork.
    assert len(errors) < SEALERS
    assert all(isinstance(e, DatabaseError | sealing.SealConflict) for e in errors), errors
    assert sequences() == list(range(1, 31))
    assert verify_chain(seal=False).ok


def test_the_periodic_sealer_skips_at_once_when_the_lock_is_held():
    write(2)
    with other_connection() as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [CHAIN_LOCK_KEY])
        began = time.monotonic()
        result = access_log_seal(wait=False)
        took = time.monotonic() - began
        holder.execute("SELECT pg_advisory_unlock(%s)", [CHAIN_LOCK_KEY])
    assert result.lock_busy and result.sealed == 0
    assert took < 1.0
    assert access_log_seal(wait=False).sealed == 2


def test_a_row_committed_after_a_younger_one_is_sealed_after_it():
    """Commit order is not write order: the older row, still in its transaction, is not seen by
    the first sealer and is chained behind the younger one later; the chain verifies."""
    written, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with transaction.atomic():
            write(1)
            written.set()
            release.wait(timeout=10)

    thread = threading.Thread(target=lambda: (slow_writer(), connection.close()))
    thread.start()
    assert written.wait(timeout=10)
    write(1)  # younger, committed first
    assert access_log_seal().sealed == 1
    release.set()
    thread.join(timeout=10)
    assert access_log_seal().sealed == 1
    rows = list(AccessLog.objects.order_by("sequence"))
    assert rows[0].occurred_at > rows[1].occurred_at  # chained in sealing order
    assert verify_chain(seal=False).ok
