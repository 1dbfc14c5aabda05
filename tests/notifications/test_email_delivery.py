"""E-mail delivery against a real local SMTP relay (issue 18, part 8): claimed in one short
transaction, sent outside any transaction, recorded in a second; a lease the sweeper respects;
the attempt limit; one Message-ID per notice on every attempt."""

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from notifications.emails import message_id
from notifications.models import EmailNotice
from notifications.services import email_notices_deliver, email_notices_requeue
from tests.factories import UserFactory
from tests.notifications.smtp_relay import SmtpRelay
from tests.worker import queued_task_names

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Status = EmailNotice.Status


@pytest.fixture(scope="module")
def smtp_relay() -> Iterator[SmtpRelay]:
    relay = SmtpRelay().start()
    yield relay
    relay.stop()


@pytest.fixture
def relay(smtp_relay: SmtpRelay) -> Iterator[SmtpRelay]:
    """Django's SMTP backend sending to the local relay, which starts empty."""
    smtp_relay.clear()
    with override_settings(**smtp_relay.settings()):
        yield smtp_relay
    smtp_relay.clear()


def notices(count: int) -> list[EmailNotice]:
    person = UserFactory(email=f"team-{uuid.uuid4().hex[:8]}@example.test")
    return [
        EmailNotice.objects.create(
            user=person,
            kind=EmailNotice.Kind.SIGNAL_ROUTED,
            reason=EmailNotice.Reason.NO_DEVICE,
            object_id=uuid.uuid4(),
            dedupe_key=f"test:{uuid.uuid4().hex}",
        )
        for _ in range(count)
    ]


def deliver(relay: SmtpRelay, rows: list[EmailNotice], token: str | None = None) -> int:
    """Sends as the send task does; returns how many reached the relay."""
    before = len(relay.received)
    ids = [row.pk for row in rows]
    if token is None:
        email_notices_deliver(notice_ids=ids)
    else:
        email_notices_deliver(notice_ids=ids, claim_token=token)
    return len(relay.received) - before


def state(row: EmailNotice) -> tuple[str, int]:
    row.refresh_from_db()
    return row.status, row.attempts


def as_if_claimed_by_a_dead_task(row: EmailNotice, *, attempts: int, ago: float) -> None:
    """What a task killed between its claim and its record leaves behind."""
    EmailNotice.objects.filter(pk=row.pk).update(
        status=Status.SENDING,
        attempts=attempts,
        claim_token="task-that-died",
        claimed_at=timezone.now() - timedelta(seconds=ago),
        updated_at=timezone.now() - timedelta(seconds=ago),
    )


def test_each_notice_reaches_the_relay_once_with_its_own_stable_message_id(relay):
    rows = notices(3)

    assert deliver(relay, rows) == 3

    assert sorted(m.message_id for m in relay.received) == sorted(
        message_id(notice_id=row.pk, created_at=row.created_at) for row in rows
    )
    assert all(m.to == (rows[0].user.email,) for m in relay.received)
    for row in rows:
        assert state(row) == (Status.SENT, 1)
        assert row.sent_at is not None and row.claim_token
    assert deliver(relay, rows) == 0  # sent is sent
    assert len(relay.received) == 3


def test_a_slow_relay_outlasting_the_idle_in_transaction_timeout_still_counts_its_sends(relay):
    # The finding: the e-mails went out inside the transaction holding their rows; PostgreSQL
    # ended that session after its idle-in-transaction timeout, the rows rolled back to
    # pending with no attempt counted, and the sweeper sent the whole batch again and again.
    rows = notices(2)
    relay.set_delay(0.6)
    with connection.cursor() as cursor:
        cursor.execute("SET idle_in_transaction_session_timeout = '300ms'")
    try:
        sent = deliver(relay, rows)
    finally:
        connection.close()  # the next test gets a session with the configured timeouts

    assert sent == 2
    assert [state(row) for row in rows] == [(Status.SENT, 1), (Status.SENT, 1)]
    assert len(relay.received) == 2
    assert email_notices_requeue(now=timezone.now() + timedelta(hours=1)) == 0


def test_the_claim_is_committed_before_the_e_mail_leaves(relay):
    row = notices(1)[0]
    seen: list[tuple[str, int]] = []

    def look_from_another_session() -> None:
        import psycopg

        params = connection.get_connection_params()
        with psycopg.connect(**params, autocommit=True) as other:
            seen.append(
                other.execute(
                    "SELECT status, attempts FROM notifications_emailnotice WHERE id = %s",
                    [row.pk],
                ).fetchone()
            )

    relay.handler.before_accept = look_from_another_session
    deliver(relay, [row])

    assert seen == [("sending", 1)]
    assert state(row) == (Status.SENT, 1)


def test_a_claim_of_a_dead_task_waits_for_its_lease_then_goes_out_with_the_same_message_id(
    relay, settings
):
    row = notices(1)[0]
    as_if_claimed_by_a_dead_task(row, attempts=1, ago=10)

    assert deliver(relay, [row], token="another-task") == 0  # the claim is respected
    assert email_notices_requeue() == 0  # the lease has not run out
    assert relay.received == []

    later = timezone.now() + timedelta(seconds=settings.EMAIL_REQUEUE_STALE_SECONDS)
    assert email_notices_requeue(now=later) == 1
    assert state(row) == (Status.PENDING, 1)
    assert deliver(relay, [row], token="the-sweepers-task") == 1

    assert state(row) == (Status.SENT, 2)
    assert [m.message_id for m in relay.received] == [
        message_id(notice_id=row.pk, created_at=row.created_at)
    ]


def test_the_same_task_handed_out_again_takes_its_claim_back_at_once(relay):
    row = notices(1)[0]
    as_if_claimed_by_a_dead_task(row, attempts=1, ago=1)

    assert deliver(relay, [row], token="task-that-died") == 1
    assert state(row) == (Status.SENT, 2)


def test_a_notice_whose_send_kills_its_task_every_time_stops_at_the_attempt_limit(relay, settings):
    row = notices(1)[0]
    as_if_claimed_by_a_dead_task(row, attempts=settings.EMAIL_MAX_ATTEMPTS, ago=3600)

    assert email_notices_requeue() == 1
    assert deliver(relay, [row]) == 0

    assert state(row) == (Status.FAILED, settings.EMAIL_MAX_ATTEMPTS)
    assert row.last_error_code == "attempts_exhausted"
    assert relay.received == []
    assert email_notices_requeue(now=timezone.now() + timedelta(hours=1)) == 0


def test_a_refused_send_is_retried_by_the_sweeper_until_the_attempt_limit(relay, settings):
    row = notices(1)[0]
    relay.refuse_next(100)
    for attempt in range(1, settings.EMAIL_MAX_ATTEMPTS + 1):
        assert deliver(relay, [row]) == 0
        expected = Status.FAILED if attempt == settings.EMAIL_MAX_ATTEMPTS else Status.PENDING
        assert state(row) == (expected, attempt)
        assert row.last_error_code == "SMTPDataError"
        email_notices_requeue(now=timezone.now() + timedelta(hours=attempt))

    assert deliver(relay, [row]) == 0
    assert state(row) == (Status.FAILED, settings.EMAIL_MAX_ATTEMPTS)
    assert relay.received == []


def test_a_refused_send_goes_out_on_the_next_attempt(relay):
    rows = notices(2)
    relay.refuse_next(1)

    assert deliver(relay, rows) == 1
    assert [state(row) for row in rows] == [(Status.PENDING, 1), (Status.SENT, 1)]

    assert email_notices_requeue() == 0  # a failed send waits for the sweeper's staleness
    assert email_notices_requeue(now=timezone.now() + timedelta(hours=1)) == 1
    assert deliver(relay, rows) == 1
    assert [state(row) for row in rows] == [(Status.SENT, 2), (Status.SENT, 1)]
    assert sorted(relay.copies().values()) == [1, 1]


def test_a_task_past_its_budget_hands_the_rest_to_a_fresh_task(relay, broker, settings):
    settings.EMAIL_TASK_BUDGET_SECONDS = 0.5
    rows = notices(6)
    relay.set_delay(0.3)

    sent = deliver(relay, rows)

    assert 1 <= sent < 6
    assert [state(row)[0] for row in rows[:sent]] == [Status.SENT] * sent
    assert {state(row) for row in rows[sent:]} == {(Status.PENDING, 0)}
    assert queued_task_names("notifications") == ["notifications.tasks.email_notices_send"]
