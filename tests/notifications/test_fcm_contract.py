"""Contract tests: the real firebase-admin code, Google's endpoints answered on 127.0.0.1 (see
fcm_server.py). What goes over the wire, and what each FCM answer does to our rows."""

import base64
import logging
import time
from datetime import timedelta

import pytest
import time_machine
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from django.test import override_settings
from django.utils import timezone

from notifications.gateways import FcmGateway, OutgoingPush, PushOutcome, PushResult, push_gateway
from notifications.messages import push_message_build
from notifications.models import Device, Notification
from notifications.services import signal_event_notify
from notifications.tasks import notifications_requeue, notifications_send
from tests.factories import TeamFactory, member_of
from tests.notifications import fcm_server
from tests.notifications.factories import (
    DeviceFactory,
    NotificationFactory,
    SignalFactory,
    routed_event,
)
from tests.notifications.helpers import queued_sends

pytestmark = pytest.mark.django_db

S = Notification.Status


def _reload(*objects):
    for obj in objects:
        obj.refresh_from_db()


def test_a_routed_signal_goes_out_as_exactly_this_request(
    fcm, local_google, django_capture_on_commit_callbacks
):
    team = TeamFactory()
    member = member_of(team, full_name="Henk de Vries", email="henk.devries@example.test")
    device = DeviceFactory(user=member)
    signal = SignalFactory()
    event = routed_event(signal, team)
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        signal_event_notify(event=event)
    assert len(enqueued) == 1  # the send task, after commit
    notification = Notification.objects.get()

    notifications_send(notification_ids=[notification.pk])

    notification.refresh_from_db()
    assert notification.status == S.SENT
    assert notification.attempts == 1
    assert notification.provider_message_id.startswith(
        f"projects/{fcm_server.PROJECT_ID}/messages/"
    )
    [send] = fcm.sends
    assert send.path == f"/v1/projects/{fcm_server.PROJECT_ID}/messages:send"
    assert send.headers["authorization"] == f"Bearer {fcm_server.ACCESS_TOKEN}"
    assert send.json() == {
        "message": {
            "token": device.registration_token,
            "data": {
                "type": "signal_routed",
                "id": str(signal.pk),
                "title": "Nieuw signaal voor je team",
                "body": "Open de app om het te bekijken.",
                "visibility": "private",
                "tag": f"event-{event.pk}",
            },
            # A repeat of this push replaces the first on the phone (docs/adr/0023).
            "android": {"priority": "normal", "ttl": "86400s", "collapse_key": f"event-{event.pk}"},
            "apns": {
                "headers": {
                    "apns-priority": "5",
                    "apns-push-type": "alert",
                    "apns-collapse-id": f"event-{event.pk}",
                },
                "payload": {
                    "aps": {
                        "alert": {
                            "title": "Nieuw signaal voor je team",
                            "body": "Open de app om het te bekijken.",
                        },
                        "thread-id": "signal_routed",
                    }
                },
            },
        }
    }
    raw = send.raw_body.decode()
    personal = [
        signal.resident_first_name,
        signal.contact_phone,
        signal.postcode,
        signal.observation,
        signal.target_group,
        member.full_name,
        member.email,
        str(member.pk),
        "eenzaam",
    ]
    assert [value for value in personal if value in raw] == []

    # The access token came from the real service-account flow: a JWT signed with our key.
    [exchange] = fcm.token_requests
    form = exchange.form()
    assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    claims = fcm_server.jwt_claims(form["assertion"])
    assert claims["iss"] == fcm_server.CLIENT_EMAIL
    assert "https://www.googleapis.com/auth/cloud-platform" in claims["scope"].split()
    signed, signature = form["assertion"].rsplit(".", 1)
    local_google.private_key.public_key().verify(
        base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)),
        signed.encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


def test_an_installation_with_an_fid_is_addressed_by_it_urgent_and_in_english(fcm):
    device = DeviceFactory(english=True, ios=True, installation_id="cW1dL0cQRaKH3fFgUq4yDq")
    notification = NotificationFactory(
        device=device, kind=Notification.Kind.SIGNAL_ESCALATED, is_urgent=True
    )

    notifications_send(notification_ids=[notification.pk])

    message = fcm.sends[0].json()["message"]
    assert message["fid"] == device.installation_id
    assert "token" not in message
    assert message["data"]["title"] == "A signal needs attention"
    assert message["android"]["priority"] == "high"
    assert message["apns"]["headers"]["apns-priority"] == "10"
    assert message["apns"]["payload"]["aps"]["sound"] == "default"


@pytest.mark.parametrize(
    ("answer", "code", "reason"),
    [
        (fcm_server.fcm_error("UNREGISTERED"), "unregistered", "unregistered"),
        (
            fcm_server.fcm_error("SENDER_ID_MISMATCH"),
            "sender_id_mismatch",
            "sender_id_mismatch",
        ),
        (fcm_server.fcm_error("INVALID_ARGUMENT"), "invalid_token", "invalid_token"),
    ],
)
def test_a_dead_address_kills_the_notification_and_deactivates_the_device(
    fcm, answer, code, reason
):
    notification = NotificationFactory()
    other_pending = NotificationFactory(device=notification.device)
    fcm.answer(notification.device.registration_token, answer)

    notifications_send(notification_ids=[notification.pk])

    _reload(notification, notification.device)
    assert notification.status == S.DEAD
    assert notification.last_error_code == code
    assert notification.device.is_active is False
    assert notification.device.deactivation_reason == reason
    assert notification.device.deactivated_at is not None

    # Later pushes to the dead device are not even attempted.
    notifications_send(notification_ids=[other_pending.pk])
    other_pending.refresh_from_db()
    assert other_pending.status == S.DEAD
    assert other_pending.last_error_code == "device_inactive"
    assert len(fcm.sends) == 1


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (fcm_server.fcm_error("THIRD_PARTY_AUTH_ERROR"), "third_party_auth_error"),
        (fcm_server.permission_denied_error(), "permission_denied"),
        (fcm_server.invalid_payload_error(), "invalid_argument"),
    ],
)
def test_configuration_errors_fail_at_once_and_tell_the_operator(fcm, caplog, answer, code):
    notification = NotificationFactory()
    fcm.answer(notification.device.registration_token, answer)

    with caplog.at_level(logging.ERROR, logger="notifications"):
        notifications_send(notification_ids=[notification.pk])

    _reload(notification, notification.device)
    assert notification.status == S.FAILED
    assert notification.last_error_code == code
    assert notification.device.is_active is True  # the device is not to blame
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.error_code == code
    # No hot loop: nothing is scheduled again, the sweeper leaves it alone.
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert notifications_requeue() == 0


def test_rejected_service_account_fails_without_reaching_fcm(fcm, caplog):
    notification = NotificationFactory()
    fcm.answer_token_endpoint(fcm_server.token_endpoint_invalid_grant())

    with caplog.at_level(logging.ERROR, logger="notifications"):
        notifications_send(notification_ids=[notification.pk])

    notification.refresh_from_db()
    assert notification.status == S.FAILED
    assert notification.last_error_code == "credentials_rejected"
    assert fcm.sends == []
    assert [r.error_code for r in caplog.records if r.levelno == logging.ERROR] == [
        "credentials_rejected"
    ]


def test_an_unreadable_credentials_file_fails_and_logs(caplog, tmp_path):
    notification = NotificationFactory()
    with (
        override_settings(PUSH_GATEWAY="fcm", FIREBASE_CREDENTIALS_FILE=str(tmp_path / "no.json")),
        caplog.at_level(logging.ERROR, logger="notifications"),
    ):
        notifications_send(notification_ids=[notification.pk])
    notification.refresh_from_db()
    assert notification.status == S.FAILED
    assert notification.last_error_code == "credentials_unusable"
    assert any(r.levelno == logging.ERROR for r in caplog.records)


@pytest.mark.parametrize(
    ("answer", "code", "waits_at_least"),
    [
        (fcm_server.fcm_error("QUOTA_EXCEEDED", retry_after="600"), "quota_exceeded", 600),
        (fcm_server.fcm_error("UNAVAILABLE", retry_after="90"), "unavailable", 90),
        (fcm_server.fcm_error("INTERNAL"), "internal", 15),
    ],
)
def test_a_transient_answer_is_retried_later_and_ends_sent(
    fcm, broker, django_capture_on_commit_callbacks, answer, code, waits_at_least
):
    notification = NotificationFactory()
    fcm.answer(notification.device.registration_token, answer, (200, {"name": "msg/2"}, {}))
    started = timezone.now()

    notifications_send(notification_ids=[notification.pk])

    notification.refresh_from_db()
    assert notification.status == S.PENDING
    assert notification.attempts == 1
    assert notification.last_error_code == code
    wait = (notification.not_before - started).total_seconds()
    assert waits_at_least <= wait <= max(waits_at_least, 30) + 5
    # firebase-admin's own 5xx retries are off: one request, no sleeping inside the task.
    assert len(fcm.sends) == 1

    # Not before the wait is over: the sweeper leaves it, a stray task does not push.
    with time_machine.travel(notification.not_before - timedelta(seconds=5)):
        assert notifications_requeue() == 0
        notifications_send(notification_ids=[notification.pk])
    assert len(fcm.sends) == 1

    with (
        time_machine.travel(notification.not_before + timedelta(seconds=30)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notifications_requeue() == 1
    assert queued_sends(broker) == [[notification.pk]]
    with time_machine.travel(notification.not_before + timedelta(seconds=31)):
        notifications_send(notification_ids=[notification.pk])

    notification.refresh_from_db()
    assert notification.status == S.SENT
    assert notification.attempts == 2
    assert notification.provider_message_id == "msg/2"
    assert len(fcm.sends) == 2


@override_settings(PUSH_MAX_ATTEMPTS=2)
def test_retries_stop_at_the_limit_as_failed(fcm):
    notification = NotificationFactory()
    fcm.answer(notification.device.registration_token, fcm_server.fcm_error("UNAVAILABLE"))

    notifications_send(notification_ids=[notification.pk])
    notification.refresh_from_db()
    with time_machine.travel(notification.not_before + timedelta(seconds=1)):
        notifications_send(notification_ids=[notification.pk])

    notification.refresh_from_db()
    assert notification.status == S.FAILED
    assert notification.attempts == 2
    assert notification.last_error_code == "unavailable"
    assert len(fcm.sends) == 2


def test_a_task_that_runs_twice_pushes_once(fcm):
    notification = NotificationFactory()
    notifications_send(notification_ids=[notification.pk])
    notifications_send(notification_ids=[notification.pk])
    assert len(fcm.sends) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_one_batch_with_mixed_answers(fcm):
    ok, gone, busy = NotificationFactory(), NotificationFactory(), NotificationFactory()
    fcm.answer(gone.device.registration_token, fcm_server.fcm_error("UNREGISTERED"))
    fcm.answer(
        busy.device.registration_token, fcm_server.fcm_error("QUOTA_EXCEEDED", retry_after="60")
    )

    notifications_send(notification_ids=[ok.pk, gone.pk, busy.pk])

    _reload(ok, gone, busy)
    assert (ok.status, gone.status, busy.status) == (S.SENT, S.DEAD, S.PENDING)
    assert Device.objects.filter(is_active=False).get() == gone.device


def test_more_than_one_fcm_batch(fcm):
    """send_each takes at most 500 messages; the gateway splits larger batches."""
    pushes = [
        OutgoingPush(
            n,
            push_message_build(
                kind="signal_routed",
                object_id="00000000-0000-0000-0000-000000000001",
                language="nl",
                urgent=False,
                collapse=f"event-{n}",
                registration_token=f"token-{n}",
            ),
        )
        for n in range(501)
    ]
    fcm.answer("token-500", fcm_server.fcm_error("UNREGISTERED"))

    results = push_gateway().send(pushes)

    assert len(fcm.sends) == 501
    assert [r.outcome for r in results] == [PushOutcome.SENT] * 500 + [PushOutcome.DEAD]


def test_a_push_whose_answer_times_out_reaches_fcm_once(fcm, local_google):
    """FCM may have delivered a push whose answer timed out: firebase-admin's own read retry
    would send a second copy. This guards the one private touch of firebase-admin (the
    adapter mounted on its session, docs/adr/0023) together with the 503 test above."""
    arrivals = []
    fcm.before_answer = lambda request: (arrivals.append(request), time.sleep(1.5))
    gateway = FcmGateway(credentials_file=str(local_google.credentials_file), timeout=0.5)
    message = push_message_build(
        kind="signal_routed",
        object_id="00000000-0000-0000-0000-000000000001",
        language="nl",
        urgent=False,
        collapse="event-1",
        registration_token="token-slow",
    )
    try:
        [result] = gateway.send([OutgoingPush(1, message)])
    finally:
        gateway.close()

    assert result == PushResult(PushOutcome.RETRY, error_code="deadline_exceeded")
    assert len(arrivals) == 1
