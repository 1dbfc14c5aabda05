"""Reads of the catalogue, the suggestions for a signal and a signal's referrals."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import django_filters
from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.models import Neighbourhood, User
from backend.serializers import refuse_repeated
from initiatives import ranking, search
from initiatives.models import ActivityKind, Initiative, Referral
from signals import access
from signals.models import ReasonCode, Signal, TargetGroup
from signals.selectors import StrictBooleanFilter


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


class InitiativeFilter(django_filters.FilterSet):
    buurt = django_filters.CharFilter(method="filter_buurt", max_length=10)
    wijk = django_filters.CharFilter(method="filter_wijk", max_length=8)
    target_group = django_filters.ChoiceFilter(choices=TargetGroup.choices, method="filter_member")
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, method="filter_member")
    language = django_filters.CharFilter(method="filter_member", max_length=8)
    reason = django_filters.CharFilter(method="filter_reason", max_length=48)
    accepting = StrictBooleanFilter(field_name="accepting_new")
    q = django_filters.CharFilter(method="filter_text", max_length=200)

    class Meta:
        model = Initiative
        fields: list[str] = []

    _LIST_FIELDS = {"target_group": "target_groups", "kind": "kinds", "language": "languages"}

    def filter_member(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(has_member(self._LIST_FIELDS[name], value))

    def filter_buurt(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        wijk = Neighbourhood.objects.filter(code=value).values_list("wijk_code", flat=True).first()
        return queryset.filter(serves_buurt(value, wijk or ""))

    def filter_wijk(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        buurten = Neighbourhood.objects.filter(wijk_code=value).values_list("code", flat=True)
        in_buurt = Q()
        for code in buurten:
            in_buurt |= has_member("buurt_codes", code)
        return queryset.filter(Q(citywide=True) | has_member("wijk_codes", value) | in_buurt)

    def filter_reason(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        through = Initiative.reasons.through.objects.filter(
            initiative_id=OuterRef("pk"), reasoncode__code=value
        )
        return queryset.filter(Exists(through))

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search.full_text(queryset, value)


def initiative_list(*, filters: dict[str, Any]) -> QuerySet[Initiative]:
    """Active initiatives matching the filters, by name (cursor pages)."""
    refuse_repeated(filters, list(InitiativeFilter.base_filters))
    filterset = InitiativeFilter(filters, Initiative.objects.filter(is_active=True))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs.prefetch_related("reasons")


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
    Inactive initiatives are never candidates; nor are those covering none of its area."""
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
    signal = access.signal_for_team_read(actor=actor, signal_id=signal_id)
    referrals = list(
        Referral.objects.filter(signal=signal).select_related("initiative").order_by("created_at")
    )
    return signal, referrals


def referrals_by_signal(*, signal_ids: Sequence[Any]) -> dict[Any, list[Referral]]:
    """Every referral of these signals with its initiative, oldest first, by signal id: for
    the resident's own export (the recipients of their data, AVG art. 15(1)(c))."""
    referrals: dict[Any, list[Referral]] = {}
    rows = Referral.objects.filter(signal_id__in=signal_ids).select_related("initiative")
    for referral in rows.order_by("created_at", "id"):
        referrals.setdefault(referral.signal_id, []).append(referral)
    return referrals


def active_reason_codes() -> set[str]:
    return set(ReasonCode.objects.filter(is_active=True).values_list("code", flat=True))
