"""The delivery service: a claim committed before the push, the push outside any transaction,
the answer recorded for its own attempt only, and claims handed out again (the same task run
again, or the sweeper past the lease). docs/adr/0023-claimed-delivery-and-collapse-keys.md.

Pushes go through the real firebase-admin client to the local FCM (fcm_server.py); what the
database looks like while a push is on its way is read on the proxy's thread, with its own
database connection, so these tests commit (transaction=True)."""

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.test import override_settings
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notifications_deliver, notifications_requeue
from notifications.tasks import notifications_send
from tests.notifications import fcm_server
from tests.notifications.factories import NotificationFactory
from tests.notifications.helpers import queued_sends

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

S = Notification.Status
LEASE = timedelta(seconds=settings.PUSH_REQUEUE_STALE_SECONDS)


def on_the_proxy(action: Callable[[], None], errors: list[BaseException]) -> Callable:
    """A before_answer hook that runs `action` once, on the proxy's thread with its own
    database connection; what it raises is kept for the test to re-raise."""
    done = []

    def hook(request: fcm_server.Recorded) -> None:
        if done:
            return
        done.append(request)
        try:
            action()
        except BaseException as exc:  # re-raised by the test, on its own thread
            errors.append(exc)
        finally:
            connections.close_all()

    return hook


def claimed(**fields) -> Notification:
    """A row as a send task leaves it when it dies mid-push."""
    defaults = {"status": S.SENDING, "attempts": 1, "claim_token": "task-that-died"}
    return NotificationFactory(**{**defaults, "claimed_at": timezone.now(), **fields})


def test_the_push_leaves_after_the_claim_committed_and_holds_no_row_lock(fcm):
    notification = NotificationFactory()
    seen: list = []
    errors: list[BaseException] = []

    def look() -> None:
        try:
            with transaction.atomic():
                row = Notification.objects.select_for_update(nowait=True).get(pk=notification.pk)
                seen.append((row.status, row.attempts, bool(row.claim_token)))
        except DatabaseError as exc:  # locked, as when the push left inside the transaction
            seen.append(type(exc).__name__)

    fcm.before_answer = on_the_proxy(look, errors)
    notifications_send(notification_ids=[notification.pk])

    assert not errors, errors
    assert seen == [("sending", 1, True)]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (S.SENT, 1)


def test_an_answer_that_comes_back_after_the_claim_was_handed_out_again_is_dropped(fcm, broker):
    """The first push is slow, its lease runs out, the sweeper hands the row out again and a
    second attempt is sent and answered; then the first attempt's 503 lands. It must not put
    the row back to pending (a third push)."""
    notification = NotificationFactory()
    # Answers in the order FCM gives them: the second push overtakes the slow first one.
    fcm.answer(
        notification.device.registration_token,
        (200, {"name": "msg/second"}, {}),
        fcm_server.fcm_error("UNAVAILABLE"),
    )
    errors: list[BaseException] = []

    def lease_runs_out() -> None:
        assert notifications_requeue(now=timezone.now() + LEASE + timedelta(seconds=1)) == 1
        notifications_send(notification_ids=[notification.pk])

    fcm.before_answer = on_the_proxy(lease_runs_out, errors)
    notifications_send(notification_ids=[notification.pk])

    assert not errors, errors
    notification.refresh_from_db()
    assert notification.status == S.SENT
    assert notification.attempts == 2
    assert notification.provider_message_id == "msg/second"
    assert len(fcm.sends) == 2
    # Nothing was scheduled by the late answer.
    assert notifications_requeue(now=timezone.now() + timedelta(hours=2)) == 0


SENT_ANSWER = (200, {"name": "msg/1"}, {})


@pytest.mark.parametrize(
    ("first", "second", "while_second_in_flight", "ends"),
    [
        # A failure of the first attempt does not touch the second attempt's claim.
        (fcm_server.fcm_error("UNAVAILABLE"), SENT_ANSWER, S.SENDING, S.SENT),
        # A success of the first ends the row: the second attempt's failure schedules nothing.
        (SENT_ANSWER, fcm_server.fcm_error("UNAVAILABLE"), S.SENT, S.SENT),
    ],
    ids=["late-failure", "late-success"],
)
def test_a_late_answer_while_a_second_attempt_is_on_its_way(
    fcm, broker, first, second, while_second_in_flight, ends
):
    """The first push is slow, its lease runs out and a second attempt is pushed; the first
    attempt's answer lands while the second is still at the provider."""
    notification = NotificationFactory()
    fcm.answer(notification.device.registration_token, first, second)
    second_arrived, first_recorded = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def second_attempt() -> None:
        try:
            assert notifications_requeue(now=timezone.now() + LEASE + timedelta(seconds=1)) == 1
            notifications_send(notification_ids=[notification.pk])
        except BaseException as exc:  # re-raised below, on the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    attempt_2 = threading.Thread(target=second_attempt)

    def hold(request: fcm_server.Recorded) -> None:
        if not attempt_2.is_alive() and not second_arrived.is_set():
            attempt_2.start()  # the first push: the second attempt starts meanwhile
            assert second_arrived.wait(10)
        else:
            second_arrived.set()  # the second push: held until the first is recorded
            first_recorded.wait(10)

    fcm.before_answer = hold
    notifications_send(notification_ids=[notification.pk])
    notification.refresh_from_db()
    first_recorded.set()
    attempt_2.join(10)

    assert not errors, errors
    assert (notification.status, notification.attempts) == (while_second_in_flight, 2)
    notification.refresh_from_db()
    assert notification.status == ends
    assert len(fcm.sends) == 2
    assert notifications_requeue(now=timezone.now() + timedelta(hours=2)) == 0


def test_a_late_answer_is_recorded_while_the_expired_claim_waits_to_be_handed_out(fcm, broker):
    """The sweeper made the row pending again, but no task claimed it yet when the first
    attempt's answer came: that answer still counts, and the row is not pushed again."""
    notification = NotificationFactory()
    errors: list[BaseException] = []
    fcm.before_answer = on_the_proxy(
        lambda: notifications_requeue(now=timezone.now() + LEASE + timedelta(seconds=1)), errors
    )

    notifications_send(notification_ids=[notification.pk])

    assert not errors, errors
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (S.SENT, 1)
    assert queued_sends(broker) == [[notification.pk]]  # the sweeper's task, now harmless
    notifications_send(notification_ids=[notification.pk])
    assert len(fcm.sends) == 1


def test_the_same_task_run_again_takes_its_claims_back_and_pushes(fcm):
    """A pool child killed mid-push: the broker hands the same task (same id) out again."""
    notification = claimed()

    notifications_send.apply(args=[[notification.pk]], task_id="task-that-died")

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (S.SENT, 2)
    assert len(fcm.sends) == 1


def test_another_task_leaves_a_claim_alone(fcm):
    notification = claimed()

    notifications_send.apply(args=[[notification.pk]], task_id="another-task")
    notifications_deliver(notification_ids=[notification.pk])

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (S.SENDING, 1)
    assert fcm.sends == []


def test_the_sweeper_hands_out_claims_past_their_lease_and_leaves_fresh_ones(fcm, broker):
    now = timezone.now()
    lost = claimed(claimed_at=now - LEASE - timedelta(seconds=1))
    fresh = claimed(claim_token="a-running-task", claimed_at=now)

    assert notifications_requeue(now=now) == 1

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.status, lost.attempts) == (S.PENDING, 1)
    assert fresh.status == S.SENDING
    assert queued_sends(broker) == [[lost.pk]]
    notifications_send(notification_ids=[lost.pk])
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == (S.SENT, 2)
    assert len(fcm.sends) == 1


@override_settings(PUSH_MAX_ATTEMPTS=3)
def test_a_claim_that_never_recorded_its_answer_stops_at_the_attempt_limit(fcm):
    """A task that dies on every run (a poison push) must not push for ever."""
    notification = claimed(attempts=3)

    notifications_send.apply(args=[[notification.pk]], task_id="task-that-died")

    notification.refresh_from_db()
    assert notification.status == S.FAILED
    assert notification.last_error_code == "attempts_exhausted"
    assert fcm.sends == []
