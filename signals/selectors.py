"""Reads for signals. Every team read starts from Signal.objects.visible_to(user)."""

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from accounts.models import User
from backend.errors import DomainError
from backend.serializers import refuse_repeated
from signals import providers, workflow
from signals.models import (
    BreakGlassAccess,
    ConsentText,
    Outcome,
    ReasonCode,
    Signal,
    SignalEvent,
    SignalNote,
    Status,
    TargetGroup,
    Urgency,
)


class _StrictBooleanField(forms.NullBooleanField):
    """NullBooleanField (and its select widget) read any unknown value as "no filter", so
    `overdue=maybe` would quietly list everything; an unknown value must be a 400 instead."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:
        text = "" if value is None else str(value).strip().lower()
        if not text:
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = _StrictBooleanField


WIJK_CODE = re.compile(r"WK[0-9]{6}")
BUURT_CODE = re.compile(r"BU[0-9]{8}")
# The queue's annotation of each extra deadline kind (signals.providers.queue_deadlines).
QUEUE_DEADLINE_PREFIX = "deadline_"
# How the queue can be ordered: the cursor pagination's ordering per choice, a unique field last.
QUEUE_ORDERINGS: dict[str, tuple[str, str]] = {
    "deadline": ("due_at", "id"),
    "newest": ("-created_at", "id"),
}


def queue_ordering(filters: Any) -> tuple[str, str]:
    """The ordering the caller asked for with `ordering` (deadline, the default, or newest);
    anything else is a 400."""
    refuse_repeated(filters, ["ordering"])
    choice = filters.get("ordering") or "deadline"
    if choice not in QUEUE_ORDERINGS:
        raise ValidationError(
            {
                "ordering": [
                    _("Choose one of: {choices}.").format(choices=", ".join(QUEUE_ORDERINGS))
                ]
            },
            code="invalid_choice",
        )
    return QUEUE_ORDERINGS[choice]


class QueueFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    urgency = django_filters.MultipleChoiceFilter(choices=Urgency.choices)
    target_group = django_filters.MultipleChoiceFilter(choices=TargetGroup.choices)
    wijk = django_filters.CharFilter(method="filter_wijk", max_length=200)
    buurt = django_filters.CharFilter(method="filter_buurt", max_length=200)
    team = django_filters.UUIDFilter(field_name="team_id")
    overdue = StrictBooleanFilter(method="filter_overdue")
    assigned = django_filters.ChoiceFilter(
        choices=[("me", "me"), ("none", "none")], method="filter_assigned"
    )

    class Meta:
        model = Signal
        fields: list[str] = []

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        now = timezone.now()
        open_statuses = workflow.OPEN_FOR_TEAM
        if value:
            return queryset.filter(status__in=open_statuses, due_at__lt=now)
        return queryset.exclude(status__in=open_statuses, due_at__lt=now)

    def filter_wijk(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A CBS code (WK + 6 digits) or the wijk's name, in any case."""
        if WIJK_CODE.fullmatch(value.strip().upper()):
            return queryset.filter(neighbourhood__wijk_code=value.strip().upper())
        return queryset.filter(neighbourhood__wijk_name__iexact=value.strip())

    def filter_buurt(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A CBS code (BU + 8 digits) or the buurt's name, in any case."""
        if BUURT_CODE.fullmatch(value.strip().upper()):
            return queryset.filter(neighbourhood__code=value.strip().upper())
        return queryset.filter(neighbourhood__name__iexact=value.strip())

    def filter_assigned(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "me":
            return queryset.filter(assigned_to=self.request_user)
        return queryset.filter(assigned_to__isnull=True)


def queue_list(*, user: User, filters: dict[str, Any]) -> QuerySet[Signal]:
    """The queue of the caller's teams: open work by default, soonest deadline first. Signals
    opened by break-glass are not team work and stay out of it."""
    queryset = Signal.objects.visible_to(user, break_glass=False, ids_first=True).filter(
        restricted_at__isnull=True
    )
    if not filters.get("status"):
        queryset = queryset.filter(status__in=workflow.OPEN_FOR_TEAM)
    # A filter taking one value given twice is a 400, not "the last one wins".
    multiple = django_filters.MultipleChoiceFilter
    refuse_repeated(
        filters, [n for n, f in QueueFilter.base_filters.items() if not isinstance(f, multiple)]
    )
    filterset = QueueFilter(filters, queryset)
    filterset.request_user = user
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    queryset = filterset.qs.select_related("team", "neighbourhood", "assigned_to").prefetch_related(
        Prefetch("reasons", queryset=ReasonCode.objects.only("id", "code"))
    )
    # Deadlines of the layers above (a follow-up measurement), as annotations: no extra query.
    extra = providers.queue_deadlines.ask(queryset)
    return queryset.annotate(**{f"{QUEUE_DEADLINE_PREFIX}{kind}": e for kind, e in extra.items()})


def queue_deadline_kinds(queryset: QuerySet[Signal]) -> list[str]:
    """The kinds of extra deadline `queue_list` annotated (signals.providers.queue_deadlines)."""
    prefix = QUEUE_DEADLINE_PREFIX
    return [name[len(prefix) :] for name in queryset.query.annotations if name.startswith(prefix)]


def signal_get_for_team(*, user: User, signal_id: Any) -> Signal:
    """One signal with its history and notes, readable by team, share or an active break-glass
    grant (signals.visibility.grounds_of names which); outside that it is 404, and a restricted
    signal (AVG art. 18) is 423."""
    signal = (
        Signal.objects.visible_to(user)
        .with_grounds(user)
        .select_related(
            "team", "neighbourhood", "assigned_to", "consent__consent_text", "consent__withdrawal"
        )
        .prefetch_related(
            "reasons",
            Prefetch("events", queryset=SignalEvent.objects.select_related("actor")),
            Prefetch("notes", queryset=SignalNote.objects.select_related("author")),
        )
        .get(pk=signal_id)
    )
    if signal.restricted_at:
        raise DomainError("processing_restricted")
    return signal


def escalation_due_signal_ids(*, limit: int, now: Any = None) -> list[Any]:
    """Routed signals past their acknowledgement deadline that were not escalated yet and are
    not restricted, for the escalation task."""
    return list(
        Signal.objects.filter(
            status=Status.ROUTED,
            escalated_at__isnull=True,
            restricted_at__isnull=True,
            acknowledge_due_at__lt=now or timezone.now(),
        ).values_list("pk", flat=True)[:limit]
    )


def my_signals(*, user: User, limit: int = 200) -> list[Signal]:
    """The caller's own submissions (newest `limit`), for status only, and whether the
    resident was connected. Each carries `connected_to`: the initiative's name where the
    resident's consent covers it, asked of the `connected_names` provider at this read; None
    for a signal whose personal data was erased or whose processing is restricted
    (docs/adr/0026)."""
    closing = SignalEvent.objects.filter(
        signal=OuterRef("pk"), type=SignalEvent.Type.TRANSITIONED, to_status=Status.CLOSED
    ).order_by("-id")
    rows = list(
        Signal.objects.submitted_by(user)
        .only(
            "id",
            "subject_id",
            "client_uuid",
            "status",
            "outcome",
            "created_at",
            "updated_at",
            "restricted_at",
            "personal_data_erased_at",
        )
        .annotate(connected_referral_id=Subquery(closing.values("data__referral_id")[:1]))
        .order_by("-created_at")[:limit]
    )
    referral_ids = {
        signal.pk: signal.connected_referral_id
        for signal in rows
        if signal.outcome == Outcome.CONNECTED_TO_INITIATIVE
        and signal.connected_referral_id
        and signal.personal_data_erased_at is None
        and signal.restricted_at is None
    }
    names = providers.connected_names.ask(referral_ids) if referral_ids else {}
    for signal in rows:
        signal.connected_to = names.get(signal.pk)
    return rows


def break_glass_list() -> QuerySet[BreakGlassAccess]:
    """Every break-glass opening, newest first, for the privacy officer's review."""
    return BreakGlassAccess.objects.select_related("signal", "user").only(
        "id",
        "reason",
        "opened_at",
        "expires_at",
        "signal__id",
        "signal__subject_id",
        "user__id",
        "user__organisation_id",
    )


def active_consent_texts() -> QuerySet[ConsentText]:
    return ConsentText.objects.filter(is_active=True).order_by("language", "-created_at")


def active_reason_codes() -> QuerySet[ReasonCode]:
    return ReasonCode.objects.filter(is_active=True)
