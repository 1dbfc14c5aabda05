"""E-mail against a local SMTP relay that records what it receives (issue 18, part 8): a slow
relay, and notification workers killed while e-mails are on their way. What arrived is read at
the relay, what the application thinks is read from the database.

- Slow relay: every e-mail once. Before, e-mails went out inside the transaction holding their
  rows; a batch outlasting the idle-in-transaction timeout was rolled back after the e-mails
  had left, attempt 1 again, and the sweeper sent it all again, without end.
- Workers killed mid-send: a notice is e-mailed again only if the relay took it while its
  claim was not yet recorded as sent, so repeats are at most the e-mails in flight per killed
  send process, and each repeat carries its notice's Message-ID (docs/adr/0036).
"""

import os
import signal
import time
from collections.abc import Iterator

import pytest

from testbed.processes import wait_until
from tests.faults.mail import insert_notices, judge_emails, wait_all_sent
from tests.faults.scenario import CADENCE, SWEEPS, Scenario
from tests.notifications.smtp_relay import SmtpRelay

pytestmark = pytest.mark.faults

# The lease of an e-mail claim (production 120 s): shortened like the push sweeper's in CI.
EMAIL_LEASE = 15


@pytest.fixture
def relay() -> Iterator[SmtpRelay]:
    server = SmtpRelay().start()
    try:
        yield server
    finally:
        server.stop()


def _start(scenario: Scenario, relay: SmtpRelay, **extra: str) -> None:
    scenario.start(
        settings={
            **SWEEPS,
            "EMAIL_URL": relay.url,
            "EMAIL_REQUEUE_STALE_SECONDS": str(EMAIL_LEASE),
            **extra,
        }
    )


def _finish(scenario: Scenario, relay: SmtpRelay, *, recovery: float | None, bound: int):
    load = scenario.load()  # no signals: the verdict's signal figures stay 0
    verdict = scenario.finish(load, recovery=recovery, duplicate_bound=0)
    judge_emails(verdict, scenario.observer, relay, bound=bound)
    return verdict


def test_a_slow_relay_gets_every_notice_once_and_nothing_again(scenario, relay):
    notices = 90
    relay.set_delay(0.5)
    # A send task of 25 e-mails takes 6-13 s here: longer than this idle-in-transaction
    # timeout, as a batch of 100 outlasted production's 30 s.
    _start(scenario, relay, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS="5")
    insert_notices(scenario.observer, notices)
    scenario.fault()
    took = wait_all_sent(scenario.observer, notices, timeout=90)
    time.sleep(2 * CADENCE)  # two more sweeps: nothing goes out again
    verdict = _finish(scenario, relay, recovery=took, bound=0)

    report = scenario.report()
    assert took is not None, report
    assert verdict.emails_sent == notices, report
    assert len(relay.received) == notices, report
    assert verdict.email_repeats == 0 and verdict.email_repeats_unrecognisable == 0, report
    assert verdict.stuck_emails == 0, report


def test_workers_killed_mid_send_repeat_at_most_the_e_mails_in_flight_with_their_message_id(
    scenario, relay
):
    notices = 40
    relay.set_delay(1.0)
    _start(scenario, relay)
    stack = scenario.stack
    insert_notices(scenario.observer, notices)

    # A pool child killed while its e-mail waits for the relay's answer: billiard replaces it,
    # its task comes back at once under the same id and takes its claim back.
    wait_until(lambda: len(relay.received) >= 4 and relay.in_flight >= 1, timeout=30,
               what="e-mails at the relay")  # fmt: skip
    os.kill(stack.pool_children("notifications")[0], signal.SIGKILL)
    scenario.fault()
    bound = 1
    # The whole worker with its children, as when its container dies; restarted by the
    # supervisor. Its claims come back after the lease (the sweeper) or the visibility timeout.
    wait_until(lambda: len(relay.received) >= 12 and relay.in_flight >= 1, timeout=60,
               what="more e-mails at the relay")  # fmt: skip
    stack.kill_worker("notifications")
    killed_at = time.monotonic()
    scenario.fault()
    bound += stack.spec("notifications").concurrency
    stack.restart_worker("notifications")

    sent_within = wait_all_sent(scenario.observer, notices, timeout=120)
    recovery = None if sent_within is None else time.monotonic() - killed_at
    time.sleep(2 * CADENCE)
    verdict = _finish(scenario, relay, recovery=recovery, bound=bound)

    report = scenario.report()
    assert sent_within is not None, report
    assert verdict.emails_sent == notices, report
    assert verdict.stuck_emails == 0, report
    assert verdict.email_repeats <= bound, report
    assert verdict.notes["email_most_copies"] <= 1 + verdict.faults_injected, report
    assert verdict.email_repeats_unrecognisable == 0, report
    assert len(relay.copies()) == notices, report  # every notice arrived, under its own id
