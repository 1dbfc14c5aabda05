"""Storage limitation (AVG art. 5(1)(e)): personal data of an ended signal is erased once its
retention period has passed. Periods are per end status (`RetentionPolicy`, admin-editable,
seeded by migration); the non-personal facts stay for anonymous figures (docs/adr/0013)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db import InterfaceError, OperationalError
from django.db.models import Q
from django.utils import timezone

from accounts.actors import SystemActor
from audit.disclosure import Disclosure, access_logged
from audit.models import Action, Purpose
from privacy.models import RetentionPolicy
from privacy.personal_data import SUBJECT_FIELDS
from signals.models import Signal, Status
from signals.services import signal_personal_data_erase

logger = logging.getLogger(__name__)

# When the retention clock of each end status starts. Open statuses have no clock.
RETENTION_CLOCK: dict[str, str] = {
    Status.CLOSED: "closed_at",
    Status.DECLINED: "closed_at",
    Status.WITHDRAWN: "consent__withdrawal__withdrawn_at",
}
RETENTION_REASON = "retention"
RETENTION = SystemActor("retention")


@dataclass(frozen=True)
class RetentionInfo:
    """What the policy says about one signal, for the export and the processing register."""

    rule: str  # "after_end" | "while_open" | "no_policy" | "erased" | "restricted"
    erase_after_days: int | None = None
    clock_started_at: datetime | None = None
    erase_at: datetime | None = None
    erased_at: datetime | None = None


def retention_policies() -> dict[str, int]:
    """Days per end status; statuses without a policy are absent."""
    return dict(RetentionPolicy.objects.values_list("status", "erase_after_days"))


def _clock(signal: Signal, status: str) -> datetime | None:
    if status == Status.WITHDRAWN:
        consent = getattr(signal, "consent", None)
        withdrawal = getattr(consent, "withdrawal", None) if consent else None
        return withdrawal.withdrawn_at if withdrawal else None
    return signal.closed_at


def retention_info(*, signal: Signal, policies: dict[str, int]) -> RetentionInfo:
    """When the signal's personal data is (or was) erased under the policy. Reads the consent
    and its withdrawal of a withdrawn signal (prefetch them for many signals)."""
    if signal.personal_data_erased_at:
        return RetentionInfo(rule="erased", erased_at=signal.personal_data_erased_at)
    if signal.status not in RETENTION_CLOCK:
        return RetentionInfo(rule="while_open")
    days = policies.get(signal.status)
    if days is None:
        return RetentionInfo(rule="no_policy")
    started = _clock(signal, signal.status)
    erase_at = started + timedelta(days=days) if started else None
    # A restriction (art. 18) suspends erasure: the resident may need the data (18(1)(b, c)).
    rule = "restricted" if signal.restricted_at else "after_end"
    return RetentionInfo(
        rule=rule, erase_after_days=days, clock_started_at=started, erase_at=erase_at
    )


def _due_filter(*, now: datetime, policies: dict[str, int]) -> Q:
    condition = Q(pk__in=[])
    for status, days in policies.items():
        clock = RETENTION_CLOCK.get(status)
        if clock is not None:
            condition |= Q(status=status, **{f"{clock}__lte": now - timedelta(days=days)})
    return condition


def retention_due_signal_ids(*, now: datetime | None = None, limit: int = 500) -> list[UUID]:
    """Signals past their retention whose personal data is still there, oldest change first.
    Restricted signals are left out: restriction suspends erasure."""
    now = now or timezone.now()
    return list(
        Signal.objects.filter(personal_data_erased_at__isnull=True, restricted_at__isnull=True)
        .filter(_due_filter(now=now, policies=retention_policies()))
        .order_by("updated_at")
        .values_list("pk", flat=True)[:limit]
    )


def signal_retention_enforce(*, signal_id: UUID | str) -> bool:
    """Erases one signal's personal data if it is (still) past its retention, as a system action.
    Idempotent: an erased, restricted, reopened or missing signal is left alone. Returns whether
    it erased now.

    Side effects, in one transaction: blanked personal fields and note bodies and a
    `personal_data_erased` event with reason `retention` (signal_personal_data_erase); one
    AccessLog row (action delete, purpose retention, actor role `retention`)."""
    with access_logged(actor=RETENTION, required=False) as log:
        signal = Signal.objects.select_for_update().filter(pk=signal_id).first()
        if signal is None or signal.personal_data_erased_at or signal.restricted_at:
            return False
        policies = retention_policies()
        still_due = (
            Signal.objects.filter(pk=signal.pk)
            .filter(_due_filter(now=timezone.now(), policies=policies))
            .exists()
        )
        if not still_due:
            return False
        consent_id = getattr(getattr(signal, "consent", None), "pk", "")
        signal_personal_data_erase(signal_id=signal.pk, actor=RETENTION, reason=RETENTION_REASON)
        log.add(
            Disclosure(
                action=Action.DELETE,
                purpose=Purpose.RETENTION,
                rule=f"retention_policy:{signal.status}:{policies[signal.status]}d",
                subject_id=signal.subject_id,
                object_type="signals.signal",
                object_id=signal.pk,
                fields=SUBJECT_FIELDS,
                consent_id=consent_id or "",
                details={"status": signal.status, "erase_after_days": policies[signal.status]},
            )
        )
    return True


def retention_enforce(*, limit: int) -> int:
    """Erases up to `limit` signals past their retention; one failing signal does not stop the
    others (it is reported by id and error type, never with values). Returns how many it erased.

    Side effects: as signal_retention_enforce, per signal."""
    erased = 0
    for signal_id in retention_due_signal_ids(limit=limit):
        try:
            erased += signal_retention_enforce(signal_id=signal_id)
        except (OperationalError, InterfaceError):
            raise  # the database is away: let the task retry the whole batch
        except Exception as error:
            logger.error(
                "retention erase failed",
                extra={"signal_id": str(signal_id), "error": type(error).__name__},
            )
    if erased:
        logger.info("retention erased personal data", extra={"count": erased})
    return erased
