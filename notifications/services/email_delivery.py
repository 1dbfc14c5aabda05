"""E-mail delivery: claiming pending notices, sending them, recording each answer, the sweeper.

As for pushes (docs/adr/0023), no e-mail leaves inside a transaction: a short transaction
claims one notice (status `sending`, one more attempt, the claim's token and time), the e-mail
goes out with no transaction open and no row lock held, and a second short transaction records
that attempt's answer. A slow relay therefore holds no session idle in a transaction, the
attempt count survives whatever happens during the send, and a notice whose task died is
handed out again only by its own task (the broker's redelivery) or after the lease
(EMAIL_REQUEUE_STALE_SECONDS). Every attempt carries the notice's own Message-ID
(docs/adr/0036-e-mail-claims-and-a-frozen-database.md).
"""

import contextlib
import logging
import time
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend.enqueue import enqueue, enqueue_on_commit
from notifications.emails import email_build, message_id
from notifications.models import EmailNotice
from notifications.services.recording import record_with_retries

logger = logging.getLogger(__name__)

Status = EmailNotice.Status

SEND_BATCH_SIZE = 25
REQUEUE_LIMIT = 5000


def enqueue_email_send(notice_ids: list[int], *, now: bool = False) -> None:
    """Enqueues send tasks for these notices in batches: after commit, or at once (`now`, from
    a task that holds no transaction)."""
    from notifications.tasks import email_notices_send  # tasks import this module

    publish = enqueue if now else enqueue_on_commit
    for start in range(0, len(notice_ids), SEND_BATCH_SIZE):
        publish(email_notices_send, notice_ids[start : start + SEND_BATCH_SIZE])


class _Relay:
    """One connection to the e-mail backend for a task's sends, opened on the first send and
    opened again after a failed one."""

    def __init__(self) -> None:
        self.backend: BaseEmailBackend = get_connection(fail_silently=False)
        self.is_open = False

    def send(self, message: EmailMessage) -> None:
        if not self.is_open:
            self.backend.open()
            self.is_open = True
        message.connection = self.backend
        try:
            self.backend.send_messages([message])
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.is_open:
            self.is_open = False
            with contextlib.suppress(Exception):  # a broken connection cannot say goodbye
                self.backend.close()


def email_notices_deliver(*, notice_ids: Iterable[int], claim_token: str | None = None) -> int:
    """Sends the pending notices among `notice_ids` one by one, outside any transaction;
    returns how many were sent.

    `claim_token` names the claim (the send task passes its own task id): a notice still
    `sending` under it was claimed by an earlier run of the same task that died, and is
    claimed again at once; a notice claimed under another token is left alone, so a task that
    runs twice sends once. A notice that used up EMAIL_MAX_ATTEMPTS claims fails. After
    EMAIL_TASK_BUDGET_SECONDS the rest is handed to a fresh task, so no task outlives the
    broker's visibility timeout.

    Side effects: per notice the claim (status sending, attempts + 1, claim_token, claimed_at)
    committed before the send; the e-mail (Message-ID `notifications.emails.message_id`); then
    sent with sent_at, or pending again with the error code (the sweeper sends it again after
    EMAIL_REQUEUE_STALE_SECONDS), or failed at the last attempt; a send task for the rest."""
    token = claim_token or uuid.uuid4().hex
    ids = sorted(set(notice_ids))
    deadline = time.monotonic() + settings.EMAIL_TASK_BUDGET_SECONDS
    relay = _Relay()
    sent = 0
    try:
        for position, notice_id in enumerate(ids):
            if time.monotonic() > deadline:
                enqueue_email_send(ids[position:], now=True)
                logger.info("e-mail send budget used; rest handed on", extra={"count": len(ids)})
                break
            notice = _claim(notice_id, token=token)
            if notice is None:
                continue
            error = _send(relay, notice)
            if record_with_retries(lambda n=notice, e=error: _record(n, e), what="e-mail"):
                sent += 1
    finally:
        relay.close()
    if sent:
        logger.info("e-mail notices delivered", extra={"count": sent})
    return sent


def _claim(notice_id: int, *, token: str) -> EmailNotice | None:
    now = timezone.now()
    with transaction.atomic():
        notice = (
            EmailNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk=notice_id)
            .filter(Q(status=Status.PENDING) | Q(status=Status.SENDING, claim_token=token))
            .first()
        )
        if notice is None:
            return None  # sent, failed, or claimed by another task
        if notice.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            # Only a claim that never recorded its answer gets here (a task that dies on every
            # run must not send for ever).
            notice.status, notice.last_error_code = Status.FAILED, "attempts_exhausted"
            claimed = None
        else:
            notice.status = Status.SENDING
            notice.attempts += 1
            notice.claim_token = token
            notice.claimed_at = now
            claimed = notice
        notice.updated_at = now
        notice.save(
            update_fields=[
                "status",
                "last_error_code",
                "attempts",
                "claim_token",
                "claimed_at",
                "updated_at",
            ]
        )
    return claimed


def _send(relay: _Relay, notice: EmailNotice) -> str:
    """Sends one claimed notice; returns the error code, or "" when the relay took it."""
    content = email_build(
        kind=notice.kind,
        language=notice.user.language,
        object_id=str(notice.object_id or ""),
        counts=notice.data,
    )
    message = EmailMessage(
        subject=content.subject,
        body=content.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.user.email],
        headers={"Message-ID": message_id(notice_id=notice.pk, created_at=notice.created_at)},
    )
    try:
        relay.send(message)
    except Exception as error:  # any backend error: this attempt failed, the next may not
        return type(error).__name__[:48]
    return ""


def _record(claim: EmailNotice, error: str) -> bool:
    """Records one attempt's answer; returns whether the notice is now sent. A failure counts
    only while the notice is still this attempt; a success whenever it is still open (it is a
    fact about the relay: nothing is sent again after it)."""
    now = timezone.now()
    with transaction.atomic():
        notice = EmailNotice.objects.select_for_update().filter(pk=claim.pk).first()
        is_open = notice is not None and notice.status in (Status.SENDING, Status.PENDING)
        if not is_open or (error and notice.attempts != claim.attempts):
            logger.info("late e-mail answer dropped", extra={"notice_id": claim.pk})
            return False
        notice.last_error_code = error
        if not error:
            notice.status, notice.sent_at = Status.SENT, now
        elif notice.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            notice.status = Status.FAILED
        else:
            notice.status = Status.PENDING  # the sweeper sends it again when it is stale
        notice.updated_at = now
        notice.save(update_fields=["status", "last_error_code", "sent_at", "updated_at"])
    return not error


def email_notices_requeue(*, now: datetime | None = None) -> int:
    """Dispatches pending notices untouched for EMAIL_REQUEUE_STALE_SECONDS (task lost, or the
    last send failed), and hands out again claims older than that lease (their task was lost
    and the broker did not hand it out again). Returns how many.

    Side effects: expired claims pending again (their attempt stays counted); updated_at of
    the dispatched notices set to now; send tasks enqueued after commit."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.EMAIL_REQUEUE_STALE_SECONDS)
    with transaction.atomic():
        ids = list(
            EmailNotice.objects.filter(
                Q(status=Status.PENDING, updated_at__lte=stale)
                | Q(status=Status.SENDING, claimed_at__lte=stale)
            )
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:REQUEUE_LIMIT]
        )
        expired = EmailNotice.objects.filter(pk__in=ids, status=Status.SENDING).update(
            status=Status.PENDING, updated_at=now
        )
        EmailNotice.objects.filter(pk__in=ids).update(updated_at=now)
        enqueue_email_send(ids)
    if expired:
        logger.warning("e-mail claims expired; handed out again", extra={"count": expired})
    if ids:
        logger.info("pending e-mail notices dispatched by the sweeper", extra={"count": len(ids)})
    return len(ids)
