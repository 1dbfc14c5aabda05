"""What a scenario proves, read from the outside: the private database (plain SQL, not the
app's code), the fake FCM's record of what reached the phones, and the clients' answers.

- lost: a client got 2xx for a client_uuid and that signal is not routed in the end;
- doubled: a signal with more than one `routed` event;
- stuck: after recovery, a signal not routed or a push still pending or sending;
- push duplicates: the same (device, event) delivered more than once, against a bound the
  scenario states (pushes in flight when the fault struck); each push reaches a phone at most
  once more per fault, and every repeat carries the first copy's collapse id (uncollapsed 0);
- e-mail repeats (e-mail scenarios): a notice that reached the relay more than once, against
  the scenario's bound, each with its notice's Message-ID (unrecognisable 0); stuck e-mails:
  notices still pending or sending after recovery.
"""

import contextlib
import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from tests.faults.load import Load
from tests.faults.servers import PostgresCluster


@dataclass
class Verdict:
    scenario: str
    faults_injected: int = 0
    signals: int = 0  # distinct client_uuids submitted
    accepted: int = 0  # of which some answer was 2xx
    lost: int = 0
    doubled: int = 0
    stuck_signals: int = 0
    stuck_pushes: int = 0
    push_duplicates: int = 0
    push_duplicates_uncollapsed: int = 0
    push_most_copies: int = 0
    push_duplicate_bound: int | None = None
    # E-mail scenarios (tests/faults/test_email.py, read from the local SMTP relay): notices
    # sent, messages that arrived more than once, repeats whose Message-ID is not a notice's.
    emails_sent: int = 0
    email_repeats: int = 0
    email_repeats_unrecognisable: int = 0
    email_repeat_bound: int | None = None
    stuck_emails: int = 0
    answers: dict[str, int] = field(default_factory=dict)
    max_latency_seconds: float = 0.0
    recovery_seconds: float | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def stuck(self) -> int:
        return self.stuck_signals + self.stuck_pushes + self.stuck_emails

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["stuck"] = self.stuck
        return data

    def summary(self) -> str:
        return json.dumps(self.as_dict(), indent=1, default=str)


class Observer:
    """Reads the scenario's database with its own connections (plain SQL)."""

    def __init__(self, cluster: PostgresCluster, dbname: str) -> None:
        self.cluster = cluster
        self.dbname = dbname

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.cluster.connect(self.dbname) as conn:
            return conn.execute(sql, params).fetchall()

    @contextlib.contextmanager
    def lock(self, statement: str) -> Iterator[None]:
        """Holds a lock (a LOCK TABLE or SELECT ... FOR UPDATE statement) until the block ends."""
        with self.cluster.connect(self.dbname) as conn, conn.transaction():
            conn.execute(statement)
            yield

    def waiting_on_locks(self) -> int:
        """Other sessions of this database waiting for a lock right now."""
        ((count,),) = self.rows(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return count

    def signal_states(self) -> dict[str, str]:
        return {str(u): s for u, s in self.rows("SELECT client_uuid, status FROM signals_signal")}

    def routed_twice(self) -> int:
        return len(
            self.rows(
                "SELECT signal_id FROM signals_signalevent WHERE type = 'routed' "
                "GROUP BY signal_id HAVING count(*) > 1"
            )
        )

    def notification_states(self) -> Counter:
        return Counter(
            dict(self.rows("SELECT status, count(*) FROM notifications_notification GROUP BY 1"))
        )

    def unrouted(self) -> int:
        (count,) = self.rows(
            "SELECT count(*) FROM signals_signal WHERE status IN ('received', 'forwarded')"
        )[0]
        return count

    def missing(self, accepted: set[str]) -> set[str]:
        """Accepted client_uuids whose signal is absent or not routed."""
        states = self.signal_states()
        return {u for u in accepted if states.get(u) != "routed"}

    def unsent(self) -> int:
        """Pushes still to be sent: pending, or claimed and not answered yet."""
        states = self.notification_states()
        return states.get("pending", 0) + states.get("sending", 0)

    def settled(self, accepted: set[str]) -> bool:
        return not self.missing(accepted) and self.unrouted() == 0 and self.unsent() == 0

    def wait_settled(self, accepted: set[str], *, timeout: float) -> float | None:
        """Seconds until everything accepted is routed and no push is pending; None when it
        does not settle within `timeout` (then something is stuck)."""
        began = time.monotonic()
        deadline = began + timeout
        while time.monotonic() < deadline:
            try:
                if self.settled(accepted):
                    return time.monotonic() - began
            except Exception:  # the database may still be coming back
                pass
            time.sleep(0.25)
        return None


def judge(
    verdict: Verdict,
    *,
    load: Load,
    observer: Observer,
    duplicates: tuple[int, int, int],
    recovery: float | None,
) -> Verdict:
    """Fills the verdict from what the clients, the database and the phones saw; `duplicates`
    is (repeats, repeats without the first copy's collapse id, most copies of one push)."""
    accepted = load.accepted_uuids()
    verdict.signals = len(load.submitted_uuids())
    verdict.accepted = len(accepted)
    verdict.lost = len(observer.missing(accepted))
    verdict.doubled = observer.routed_twice()
    verdict.stuck_signals = observer.unrouted()
    verdict.stuck_pushes = observer.unsent()
    (
        verdict.push_duplicates,
        verdict.push_duplicates_uncollapsed,
        verdict.push_most_copies,
    ) = duplicates
    verdict.answers = dict(sorted(load.tally().items()))
    verdict.max_latency_seconds = round(max((a.latency for a in load.answers), default=0.0), 3)
    verdict.recovery_seconds = None if recovery is None else round(recovery, 2)
    verdict.notes["notifications"] = dict(observer.notification_states())
    return verdict
