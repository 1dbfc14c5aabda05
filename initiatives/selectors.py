"""Reads of the catalogue, the suggestions for a signal and a signal's referrals. A read about a
resident's signal writes its access-log row itself, in its own transaction
(initiatives.disclosures, docs/adr/0041); the catalogue holds no personal data."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Neighbourhood, User
from audit.disclosure import access_logged
from initiatives import disclosures, ranking, search
from initiatives.models import Initiative, Referral
from signals import access
from signals import disclosures as signal_disclosures
from signals.models import ReasonCode, Signal


def has_member(field: str, value: str, *, vendor: str | None = None) -> Q:
    """`value` is one of the codes in the JSON list `field`. PostgreSQL answers with jsonb
    containment; SQLite has no JSON containment in Django, so the list's text must hold the
    value in quotes, which is exact because the codes are validated slugs (no quotes)."""
    if (vendor or connection.vendor) == "postgresql":
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}__icontains": f'"{value}"'})


def serves_buurt(buurt_code: str, wijk_code: str) -> Q:
    """Covers the buurt: named, through its wijk, or citywide."""
    return (
        Q(citywide=True)
        | has_member("buurt_codes", buurt_code)
        | has_member("wijk_codes", wijk_code)
    )


@dataclass(frozen=True)
class InitiativeFilter:
    """What the caller asked of the catalogue, already parsed (initiatives.api.filters): empty
    means "any"."""

    buurt: str = ""  # a CBS buurt code: initiatives serving it, its wijk or the city
    wijk: str = ""  # a CBS wijk code: initiatives serving it, one of its buurten or the city
    target_group: str = ""
    kind: str = ""
    language: str = ""
    reason: str = ""  # a reason code
    accepting: bool | None = None
    text: str = ""  # full text over name, organisation, descriptions


def _serving(queryset: QuerySet[Initiative], filters: InitiativeFilter) -> QuerySet[Initiative]:
    if filters.buurt:
        wijk = Neighbourhood.objects.filter(code=filters.buurt).values_list("wijk_code", flat=True)
        queryset = queryset.filter(serves_buurt(filters.buurt, wijk.first() or ""))
    if filters.wijk:
        buurten = Neighbourhood.objects.filter(wijk_code=filters.wijk).values_list("code")
        in_buurt = Q()
        for (code,) in buurten:
            in_buurt |= has_member("buurt_codes", code)
        queryset = queryset.filter(
            Q(citywide=True) | has_member("wijk_codes", filters.wijk) | in_buurt
        )
    return queryset


def initiative_list(*, filters: InitiativeFilter) -> QuerySet[Initiative]:
    """Active initiatives matching the filters (the caller's pagination orders them by name)."""
    queryset = _serving(Initiative.objects.filter(is_active=True), filters)
    for field, value in (
        ("target_groups", filters.target_group),
        ("kinds", filters.kind),
        ("languages", filters.language),
    ):
        if value:
            queryset = queryset.filter(has_member(field, value))
    if filters.reason:
        through = Initiative.reasons.through.objects.filter(
            initiative_id=OuterRef("pk"), reasoncode__code=filters.reason
        )
        queryset = queryset.filter(Exists(through))
    if filters.accepting is not None:
        queryset = queryset.filter(accepting_new=filters.accepting)
    if filters.text:
        queryset = search.full_text(queryset, filters.text)
    return queryset.prefetch_related("reasons")


def stale_before() -> Any:
    return timezone.localdate() - timedelta(days=settings.INITIATIVE_VERIFY_AFTER_DAYS)


def initiatives_stale() -> QuerySet[Initiative]:
    """Active entries nobody verified within INITIATIVE_VERIFY_AFTER_DAYS, oldest first."""
    return Initiative.objects.filter(is_active=True, last_verified_on__lt=stale_before()).order_by(
        "last_verified_on", "name"
    )


def need_of(signal: Signal) -> ranking.Need:
    neighbourhood = signal.neighbourhood
    return ranking.Need(
        buurt_code=neighbourhood.code if neighbourhood else "",
        wijk_code=neighbourhood.wijk_code if neighbourhood else "",
        target_group=signal.target_group,
        reasons=frozenset(reason.code for reason in signal.reasons.all()),
        language=signal.preferred_language,
    )


def offer_of(initiative: Initiative) -> ranking.Offer:
    return ranking.Offer(
        id=str(initiative.pk),
        name=initiative.name,
        is_active=initiative.is_active,
        citywide=initiative.citywide,
        buurt_codes=frozenset(initiative.buurt_codes),
        wijk_codes=frozenset(initiative.wijk_codes),
        target_groups=frozenset(initiative.target_groups),
        reasons=frozenset(reason.code for reason in initiative.reasons.all()),
        languages=frozenset(initiative.languages),
        accepting_new=initiative.accepting_new,
        step_free=initiative.step_free,
        transport_offered=initiative.transport_offered,
        free=initiative.cost == "free",
    )


def suggestions_for(
    *, actor: User, signal_id: Any, limit: int = 10
) -> tuple[Signal, Sequence[ranking.Suggestion], dict[str, Initiative]]:
    """The signal (team work only) and its ranked suggestions with the initiatives by id.
    Inactive initiatives are never candidates; nor are those covering none of its area.

    Side effects: one AccessLog row (read, operation `suggestions`, the initiatives ranked)."""
    with access_logged(actor=actor) as log:
        signal, ranked, by_id = _suggestions(actor, signal_id, limit)
        log.add(disclosures.suggestions_read(signal, [item.offer.id for item in ranked]))
    return signal, ranked, by_id


def _suggestions(
    actor: User, signal_id: Any, limit: int
) -> tuple[Signal, Sequence[ranking.Suggestion], dict[str, Initiative]]:
    signal = access.signal_for_team_read(actor=actor, signal_id=signal_id)
    need = need_of(signal)
    candidates = Initiative.objects.filter(is_active=True).prefetch_related("reasons")
    if need.buurt_code:
        candidates = candidates.filter(serves_buurt(need.buurt_code, need.wijk_code))
    else:
        candidates = candidates.filter(citywide=True)
    by_id = {str(initiative.pk): initiative for initiative in candidates}
    ranked = ranking.rank(need, (offer_of(i) for i in by_id.values()), limit=limit)
    return signal, ranked, by_id


def referrals_for(*, actor: User, signal_id: Any) -> tuple[Signal, list[Referral]]:
    """The signal (team work only) and its referrals with their initiatives, oldest first.

    Side effects: one AccessLog row (list, operation `referrals`, how many)."""
    with access_logged(actor=actor) as log:
        signal = access.signal_for_team_read(actor=actor, signal_id=signal_id)
        referrals = list(
            Referral.objects.filter(signal=signal)
            .select_related("initiative")
            .order_by("created_at")
        )
        log.add(disclosures.referrals_listed(signal, len(referrals)))
    return signal, referrals


def referrals_by_signal(*, signal_ids: Sequence[Any]) -> dict[Any, list[Referral]]:
    """Every referral of these signals with its initiative, oldest first, by signal id: for
    the resident's own export (the recipients of their data, AVG art. 15(1)(c))."""
    referrals: dict[Any, list[Referral]] = {}
    rows = Referral.objects.filter(signal_id__in=signal_ids).select_related("initiative")
    for referral in rows.order_by("created_at", "id"):
        referrals.setdefault(referral.signal_id, []).append(referral)
    return referrals


@dataclass(frozen=True)
class DataRecipient:
    """An initiative that received a resident's contact details in a handover, and when."""

    subject_id: Any
    signal_id: Any
    initiative_id: Any
    name: str
    received_at: datetime


def data_recipients(
    *, subject_ids: Sequence[Any] = (), signal_ids: Sequence[Any] = ()
) -> list[DataRecipient]:
    """Every initiative the contact details of these residents (or signals) were handed to,
    oldest first: the recipients an erasure or restriction must be told about and the resident
    may ask after (AVG art. 19). From the referrals' `contact_shared_at`, which outlives the
    referral's end and the signal's erasure. One query."""
    rows = Referral.objects.filter(contact_shared_at__isnull=False)
    rows = rows.filter(Q(signal__subject_id__in=list(subject_ids)) | Q(signal_id__in=signal_ids))
    return [
        DataRecipient(
            subject_id=row["signal__subject_id"],
            signal_id=row["signal_id"],
            initiative_id=row["initiative_id"],
            name=row["initiative__name"],
            received_at=row["contact_shared_at"],
        )
        for row in rows.order_by("contact_shared_at", "id").values(
            "signal__subject_id",
            "signal_id",
            "initiative_id",
            "initiative__name",
            "contact_shared_at",
        )
    ]


def withdrawal_preview(*, actor: Any, signal_id: Any) -> tuple[Signal, list[DataRecipient]]:
    """What is asked before a withdrawal: the signal, by the withdrawal's own rule
    (signals.access.signal_for_withdrawal_read, 404 outside it), and who already received the
    resident's contact details (AVG art. 19). No personal value is shown.

    Side effects: one AccessLog row (read, purpose data_subject_request, operation
    `withdraw_confirm`, how many recipients)."""
    with access_logged(actor=actor) as log:
        signal = access.signal_for_withdrawal_read(actor=actor, signal_id=signal_id)
        recipients = data_recipients(signal_ids=[signal.pk])
        log.add(signal_disclosures.withdrawal_previewed(signal, recipients=len(recipients)))
    return signal, recipients


def active_reason_codes() -> set[str]:
    return set(ReasonCode.objects.filter(is_active=True).values_list("code", flat=True))
