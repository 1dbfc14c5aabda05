"""Concurrent appends cannot fork the chain: with real connections in threads, all reaching the
chain head at the same moment."""

import threading

import pytest
from django.db import IntegrityError, connection

from audit import services
from audit.context import AccessContext
from audit.models import AccessLog, Action, Purpose
from audit.verify import verify_chain

# Real commits across connections; serialized_rollback restores the seeded rows (role groups,
# content types) after the flush, as the other transactional tests expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WRITERS = 4


def append_concurrently(monkeypatch, *, with_lock: bool) -> list[BaseException]:
    barrier = threading.Barrier(WRITERS, timeout=10)
    real_lock = services._lock_chain

    def lock_after_everyone_arrived() -> None:
        barrier.wait()  # all writers are inside their transaction, about to read the head
        if with_lock:
            real_lock()

    monkeypatch.setattr(services, "_lock_chain", lock_after_everyone_arrived)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            services.access_log_record(
                context=AccessContext.system(), action=Action.READ, purpose=Purpose.AUDIT
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_the_chain_lock_serialises_concurrent_appends(monkeypatch):
    assert append_concurrently(monkeypatch, with_lock=True) == []
    assert list(AccessLog.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    assert verify_chain().ok


def test_without_the_lock_the_unique_sequence_still_refuses_a_fork(monkeypatch):
    # How many writers collide depends on timing (a late one may read the new head and append
    # correctly), so assert the invariant, not a count: every writer either appended to an
    # unbroken chain or was refused by the unique sequence, never a fork.
    errors = append_concurrently(monkeypatch, with_lock=False)
    assert all(isinstance(e, IntegrityError) for e in errors)
    stored = AccessLog.objects.count()
    assert stored + len(errors) == WRITERS
    assert list(AccessLog.objects.order_by("sequence").values_list("sequence", flat=True)) == list(
        range(1, stored + 1)
    )
    assert verify_chain().ok
