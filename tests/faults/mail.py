"""E-mail in the fault scenarios: notices written straight into the scenario's database, the
local SMTP relay that records what arrives (tests/notifications/smtp_relay.py), and what the
two say together (sent, repeated, recognisable by Message-ID, stuck)."""

import time
from collections import Counter

from notifications.emails import message_id
from tests.faults.population import member_email
from tests.faults.verdict import Observer, Verdict
from tests.notifications.smtp_relay import SmtpRelay


def insert_notices(observer: Observer, count: int) -> None:
    """`count` pending fallback notices to the team members, untouched for an hour: as if their
    send tasks were lost, so the e-mail sweeper dispatches them all at its next run."""
    with observer.cluster.connect(observer.dbname) as conn:
        users = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM accounts_user WHERE email LIKE %s ORDER BY email",
                [member_email(0).replace("0", "%")],
            )
        ]
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO notifications_emailnotice (user_id, kind, reason, object_id, data, "
                "status, attempts, claim_token, last_error_code, dedupe_key, created_at, "
                "updated_at) VALUES (%s, 'signal_routed', 'no_device', gen_random_uuid(), "
                "'{}', 'pending', 0, '', '', %s, now(), now() - interval '1 hour')",
                [(users[n % len(users)], f"faults:{n}") for n in range(count)],
            )


def email_states(observer: Observer) -> Counter:
    return Counter(
        dict(observer.rows("SELECT status, count(*) FROM notifications_emailnotice GROUP BY 1"))
    )


def expected_message_ids(observer: Observer) -> set[str]:
    rows = observer.rows("SELECT id, created_at FROM notifications_emailnotice")
    return {message_id(notice_id=pk, created_at=created) for pk, created in rows}


def wait_all_sent(observer: Observer, count: int, *, timeout: float) -> float | None:
    """Seconds until `count` notices are sent; None if not within `timeout`."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if email_states(observer).get("sent", 0) >= count:
            return time.monotonic() - began
        time.sleep(0.5)
    return None


def judge_emails(verdict: Verdict, observer: Observer, relay: SmtpRelay, *, bound: int) -> None:
    """Fills the verdict's e-mail figures: repeats are arrivals beyond the first per Message-ID;
    an arrival whose Message-ID is no notice's would be a repeat nobody could recognise."""
    states = email_states(observer)
    copies = relay.copies()
    verdict.emails_sent = states.get("sent", 0)
    verdict.email_repeats = sum(n - 1 for n in copies.values())
    verdict.email_repeats_unrecognisable = len(set(copies) - expected_message_ids(observer))
    verdict.email_repeat_bound = bound
    verdict.stuck_emails = states.get("pending", 0) + states.get("sending", 0)
    verdict.notes["email_states"] = dict(states)
    verdict.notes["email_most_copies"] = max(copies.values(), default=0)
    verdict.notes["emails_received"] = len(relay.received)
