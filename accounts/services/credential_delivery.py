"""The one-time code of a credential or second-factor reset goes to the account holder by
e-mail, never to the admin (docs/adr/0034).

The code does not exist until the sending task makes it: the reset stores a CredentialCode row
with an empty hash (nothing matches it) and enqueues the send after commit. Sending follows the
claimed delivery of pushes (docs/adr/0023): the row is claimed in one short transaction (a new
code made, its hash stored, a lease set), the e-mail sent outside any transaction, and the
outcome recorded in a second. A sweeper re-enqueues rows whose task was lost or whose lease ran
out. A worker killed after sending and before recording makes the sweeper send once more, with
a new code that replaces the first; attempts are bounded by CODE_SEND_MAX_ATTEMPTS.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from accounts.account_log import RULE_SYSTEM, account_change_record
from accounts.emails import mask_email
from accounts.models import CredentialCode, User
from audit.context import AccessContext
from audit.models import AccessOutcome, Action
from backend.enqueue import enqueue_on_commit
from backend.i18n import supported_language

logger = logging.getLogger(__name__)

CODE_SEND_MAX_ATTEMPTS = 5
CODE_SEND_LEASE_SECONDS = 60
CODE_REQUEUE_STALE_SECONDS = 120

# The e-mail's texts: gettext, context "one-time code e-mail", read in the holder's language.
SUBJECT: Final = pgettext_lazy("one-time code e-mail", "Buurtsignaal: your one-time code")
NEXT_STEP: Final[dict[str, Promise]] = {
    CredentialCode.Purpose.ONBOARDING: pgettext_lazy(
        "one-time code e-mail",
        "An account has been created for you. Choose a password with this code and your "
        "e-mail address in the app or the workspace; at your first login you link an "
        "authenticator app.",
    ),
    CredentialCode.Purpose.RESET: pgettext_lazy(
        "one-time code e-mail",
        "Your credentials have been reset. Choose a new password with this code and your "
        "e-mail address in the app or the workspace; at your next login you link an "
        "authenticator app again.",
    ),
    CredentialCode.Purpose.SECOND_FACTOR: pgettext_lazy(
        "one-time code e-mail",
        "Your second factor has been reset; your password stays. Log in as usual: before you "
        "link a new authenticator app you are asked for this code.",
    ),
}
VALID_UNTIL: Final = pgettext_lazy(
    "one-time code e-mail", "The code works once, until {until} (UTC)."
)
NOT_YOU: Final = pgettext_lazy(
    "one-time code e-mail", "Did not expect this? Contact your administrator."
)


@dataclass(frozen=True)
class CodeNotice:
    """What an admin learns of a reset: the code is on its way to this (masked) address."""

    user: User
    sent_to: str
    expires_at: datetime


def code_notice(*, user: User, expires_at: datetime) -> CodeNotice:
    return CodeNotice(user=user, sent_to=mask_email(user.email), expires_at=expires_at)


def code_delivery_enqueue(*, code_id: int) -> None:
    """Sends the code after the caller's transaction commits."""
    from accounts.tasks import credential_code_send  # tasks import this module

    enqueue_on_commit(credential_code_send, code_id)


def _message(*, row: CredentialCode, code: str) -> EmailMessage:
    until = row.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    with translation.override(supported_language(row.user.language)):
        subject = str(SUBJECT)
        body = (
            f"{NEXT_STEP[row.purpose]}\n\n    {code}\n\n"
            f"{str(VALID_UNTIL).format(until=until)}\n{NOT_YOU}\n"
        )
    # One Message-ID per attempt: a repeat after a lost worker is recognisable as such.
    domain = settings.WORKSPACE_BASE_URL.split("//")[-1].split("/")[0].split(":")[0] or "localhost"
    message_id = f"<credential-code.{row.pk}.{row.send_attempts}@{domain}>"
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.user.email],
        headers={"Message-ID": message_id},
    )


def _claim(*, code_id: int, now: datetime) -> tuple[CredentialCode, str] | None:
    """Claims an unsent code row in one short transaction: a fresh code, its hash stored, a
    lease. None when it is sent, claimed by another run, expired or out of attempts."""
    from accounts.services.credentials import new_code_hash  # credentials imports this module

    with transaction.atomic():
        row = (
            CredentialCode.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(
                Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
                pk=code_id,
                sent_at__isnull=True,
                expires_at__gt=now,
                send_attempts__lt=CODE_SEND_MAX_ATTEMPTS,
                user__is_active=True,
            )
            .first()
        )
        if row is None:
            return None
        code, row.code_hash = new_code_hash()
        row.send_attempts += 1
        row.claimed_until = now + timedelta(seconds=CODE_SEND_LEASE_SECONDS)
        row.save(update_fields=["code_hash", "send_attempts", "claimed_until"])
    return row, code


def credential_code_deliver(*, code_id: int) -> bool:
    """E-mails the account holder their one-time code, if it is still unsent. Returns whether
    an e-mail went out.

    Side effects: the CredentialCode row (a new code's hash, attempts, lease, sent_at or the
    error); the e-mail; an access log row (credential_change, change code_sent, or
    code_send_failed when the last attempt failed)."""
    now = timezone.now()
    claimed = _claim(code_id=code_id, now=now)
    if claimed is None:
        return False
    row, code = claimed
    try:
        _message(row=row, code=code).send(fail_silently=False)
    except Exception as error:  # any backend error: the sweeper tries again
        _record_failure(row=row, error=error)
        return False
    _record_sent(row=row)
    return True


def _record_sent(*, row: CredentialCode) -> None:
    with transaction.atomic():
        current = CredentialCode.objects.select_for_update().filter(pk=row.pk).first()
        if current is None or current.code_hash != row.code_hash:
            return  # used already, or a new reset replaced it
        current.sent_at = timezone.now()
        current.claimed_until = None
        current.save(update_fields=["sent_at", "claimed_until"])
        account_change_record(
            context=AccessContext.system(),
            action=Action.CREDENTIAL_CHANGE,
            target=row.user,
            authorisation_rule=RULE_SYSTEM,
            details={
                "change": "code_sent",
                "purpose": row.purpose,
                "attempt": row.send_attempts,
            },
        )


def _record_failure(*, row: CredentialCode, error: Exception) -> None:
    """The code that did not go out stops working; the sweeper makes a new one next time."""
    with transaction.atomic():
        current = CredentialCode.objects.select_for_update().filter(pk=row.pk).first()
        if current is None or current.code_hash != row.code_hash:
            return
        current.code_hash = ""
        current.claimed_until = None
        current.queued_at = timezone.now()
        current.last_error_code = type(error).__name__[:48]
        current.save(update_fields=["code_hash", "claimed_until", "queued_at", "last_error_code"])
        if current.send_attempts >= CODE_SEND_MAX_ATTEMPTS:
            account_change_record(
                context=AccessContext.system(),
                action=Action.CREDENTIAL_CHANGE,
                target=row.user,
                authorisation_rule=RULE_SYSTEM,
                outcome=AccessOutcome.FAILED,
                details={
                    "change": "code_send_failed",
                    "purpose": row.purpose,
                    "attempts": current.send_attempts,
                    "error": current.last_error_code,
                },
            )
    logger.warning("credential code not sent", extra={"error": type(error).__name__})


def credential_codes_requeue(*, now: datetime | None = None) -> int:
    """Dispatches unsent codes whose task was lost, whose send failed or whose lease ran out.
    Returns how many.

    Side effects: their queued_at; send tasks after commit."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            CredentialCode.objects.filter(
                Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
                sent_at__isnull=True,
                expires_at__gt=now,
                send_attempts__lt=CODE_SEND_MAX_ATTEMPTS,
                queued_at__lte=now - timedelta(seconds=CODE_REQUEUE_STALE_SECONDS),
            )
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:1000]
        )
        if ids:
            CredentialCode.objects.filter(pk__in=ids).update(queued_at=now)
            for code_id in ids:
                code_delivery_enqueue(code_id=code_id)
    return len(ids)
