"""The one-time code goes by e-mail to the account holder (docs/adr/0034): made by the sending
task, claimed in one short transaction and sent outside any, recorded in a second; a failed or
lost send is swept and tried again, a bounded number of times, each time with a new code."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import CredentialCode
from accounts.services import (
    credential_code_deliver,
    credential_codes_requeue,
    credentials_reset,
    second_factor_reset,
)
from accounts.services.credential_delivery import (
    CODE_REQUEUE_STALE_SECONDS,
    CODE_SEND_MAX_ATTEMPTS,
)
from audit.models import AccessLog, AccessOutcome
from tests.accounts.helpers import CODE_PATTERN, SYSTEM, mailed_code
from tests.factories import UserFactory
from tests.worker import queued_task_names, wait_for

pytestmark = pytest.mark.django_db

LATER = timedelta(seconds=CODE_REQUEUE_STALE_SECONDS + 1)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def relay_down(settings):
    """A real SMTP backend pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_TIMEOUT = 2


def test_the_reset_enqueues_the_send_after_commit(
    broker, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        credentials_reset(user=member, **SYSTEM)
        assert queued_task_names() == []
    assert queued_task_names() == ["accounts.tasks.credential_code_send"]


def test_the_email_carries_the_code_in_the_holders_language_and_nothing_else_does(member):
    member.language = "en"
    member.save(update_fields=["language"])
    credentials_reset(user=member, **SYSTEM)
    code = mailed_code(member)
    [message] = mail.outbox
    assert message.subject == "Buurtsignaal: your one-time code"
    assert "choose a new password" in message.body.lower()
    assert message.extra_headers["Message-ID"].startswith("<credential-code.")
    stored = CredentialCode.objects.get(user=member)
    assert stored.sent_at is not None and stored.send_attempts == 1
    rows = AccessLog.objects.filter(object_id=str(member.pk))
    assert code not in str(list(rows.values_list("details", flat=True)))
    sent = rows.get(details__change="code_sent")
    assert (sent.actor_id, sent.details["purpose"]) == (None, "reset")


def test_a_sent_code_is_not_sent_again(member):
    credentials_reset(user=member, **SYSTEM)
    mailed_code(member)
    record = CredentialCode.objects.get(user=member)
    assert credential_code_deliver(code_id=record.pk) is False
    assert credential_codes_requeue(now=timezone.now() + LATER) == 0
    assert len(mail.outbox) == 1


def test_a_second_factor_reset_mails_its_code_too(member):
    second_factor_reset(user=member, **SYSTEM)
    code = mailed_code(member)
    assert "authenticator" in mail.outbox[0].body
    assert CODE_PATTERN.fullmatch(code)


def test_a_failed_send_leaves_no_working_code_and_is_tried_again_a_bounded_number_of_times(
    member, relay_down
):
    credentials_reset(user=member, **SYSTEM)
    record = CredentialCode.objects.get(user=member)
    now = timezone.now()
    for attempt in range(1, CODE_SEND_MAX_ATTEMPTS + 1):
        assert credential_code_deliver(code_id=record.pk) is False
        record.refresh_from_db()
        assert (record.send_attempts, record.code_hash) == (attempt, "")
        assert record.last_error_code == "ConnectionRefusedError"
        now += LATER
        expected = 1 if attempt < CODE_SEND_MAX_ATTEMPTS else 0
        assert credential_codes_requeue(now=now) == expected
    assert credential_code_deliver(code_id=record.pk) is False  # no attempt left
    record.refresh_from_db()
    assert record.send_attempts == CODE_SEND_MAX_ATTEMPTS
    failed = AccessLog.objects.get(details__change="code_send_failed")
    assert failed.outcome == AccessOutcome.FAILED
    assert failed.details["attempts"] == CODE_SEND_MAX_ATTEMPTS


def test_the_admin_is_told_when_the_code_could_not_be_sent(admin_client, member, relay_down):
    credentials_reset(user=member, **SYSTEM)
    CredentialCode.objects.update(send_attempts=CODE_SEND_MAX_ATTEMPTS, code_hash="")
    page = admin_client.get(reverse("admin:accounts_user_change", args=[member.pk]))
    assert "kon niet per e-mail worden verstuurd" in page.content.decode()


def test_a_send_lost_with_its_worker_is_sent_once_more_after_the_lease_with_a_new_code(member):
    credentials_reset(user=member, **SYSTEM)
    record = CredentialCode.objects.get(user=member)
    # A worker claimed the row and died before recording the outcome: the lease still runs.
    lost = "f" * 64
    CredentialCode.objects.filter(pk=record.pk).update(
        code_hash=lost, send_attempts=1, claimed_until=timezone.now() + 2 * LATER
    )
    assert credential_code_deliver(code_id=record.pk) is False  # the lease is respected
    assert credential_codes_requeue(now=timezone.now() + LATER) == 0
    assert mail.outbox == []

    CredentialCode.objects.filter(pk=record.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert credential_codes_requeue(now=timezone.now() + LATER) == 1
    mailed_code(member)
    record.refresh_from_db()
    assert record.send_attempts == 2 and record.code_hash != lost  # the lost one stops working
    assert credential_codes_requeue(now=timezone.now() + 2 * LATER) == 0


def test_a_new_reset_replaces_an_unsent_code_and_starts_counting_again(member, relay_down):
    credentials_reset(user=member, **SYSTEM)
    record = CredentialCode.objects.get(user=member)
    credential_code_deliver(code_id=record.pk)
    credentials_reset(user=member, **SYSTEM)
    record.refresh_from_db()
    assert (record.send_attempts, record.code_hash, record.sent_at) == (0, "", None)


def test_the_sweeper_leaves_a_fresh_row_to_its_own_task(member):
    credentials_reset(user=member, **SYSTEM)
    assert credential_codes_requeue() == 0
    assert credential_codes_requeue(now=timezone.now() + LATER) == 1


def test_an_inactive_account_is_not_mailed(member):
    credentials_reset(user=member, **SYSTEM)
    type(member).objects.filter(pk=member.pk).update(is_active=False)
    record = CredentialCode.objects.get(user=member)
    assert credential_code_deliver(code_id=record.pk) is False
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.worker
def test_a_real_worker_sends_the_code(celery_worker_process):
    user = UserFactory()
    credentials_reset(user=user, **SYSTEM)
    wait_for(
        lambda: CredentialCode.objects.filter(user=user, sent_at__isnull=False).exists(),
        timeout=30,
        message=lambda: celery_worker_process.read_text()[-3000:],
    )
    assert "Buurtsignaal: je eenmalige code" in celery_worker_process.read_text()
