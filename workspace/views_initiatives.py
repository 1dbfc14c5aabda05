"""Suggestions and referrals of one signal (the initiatives catalogue, ADR 26): the same
selectors and services as the API's /suggestions, /referrals and /referral-steps, which write
the same access-log rows (docs/adr/0041)."""

from datetime import date
from typing import Any
from uuid import UUID

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import WORK_TEAM_QUEUE
from backend.errors import DomainError
from initiatives import referral_flow, selectors, services
from initiatives.models import ReferralStep
from workspace.pages import action_refused, page


class ProposeForm(django_forms.Form):
    initiative = django_forms.UUIDField()
    follow_up_on = django_forms.DateField(label=gettext_lazy("Follow up on"), required=False)
    note = django_forms.CharField(label=gettext_lazy("Note"), max_length=2000, required=False)


class StepForm(django_forms.Form):
    step = django_forms.ChoiceField(choices=ReferralStep.choices)
    follow_up_on = django_forms.DateField(required=False)
    reason = django_forms.CharField(max_length=2000, required=False)
    share_contact = django_forms.BooleanField(required=False)


def _page_url(signal_id: Any) -> str:
    return reverse("workspace:signal-initiatives", args=[signal_id])


@require_GET
@page(WORK_TEAM_QUEUE)
def initiatives_view(request: HttpRequest, signal_id: UUID) -> HttpResponse:
    """The initiatives that fit the signal, best first with why, and its referrals with the
    steps that may follow. Logged as the API's two reads."""
    signal, ranked, by_id = selectors.suggestions_for(actor=request.user, signal_id=signal_id)
    _signal, referrals = selectors.referrals_for(actor=request.user, signal_id=signal_id)
    active = next((r for r in referrals if r.ended_at is None), None)
    context = {
        "signal": signal,
        "suggestions": [(by_id[item.offer.id], item) for item in ranked],
        "referrals": referrals,
        "active": active,
        "gate": services.gate_for(signal, active.initiative) if active else None,
        "next_steps": [
            (step, ReferralStep(step).label, step in referral_flow.NEEDS_REASON)
            for step in (referral_flow.allowed_after(active.step) if active else [])
        ],
        "today": timezone.localdate(),
    }
    return render(request, "workspace/initiatives.html", context)


@require_POST
@page(WORK_TEAM_QUEUE)
def propose_view(request: HttpRequest, signal_id: UUID) -> HttpResponse:
    form = ProposeForm(request.POST)
    back = _page_url(signal_id)
    if not form.is_valid():
        messages.error(request, _("Choose an initiative and a date from today on."))
        return HttpResponseRedirect(back)
    note = form.cleaned_data["note"]
    try:
        services.referral_propose(
            actor=request.user,
            signal_id=signal_id,
            initiative_id=form.cleaned_data["initiative"],
            follow_up_on=form.cleaned_data["follow_up_on"],
            note=note,
        )
    except DomainError as exc:
        return action_refused(request, exc, back)
    messages.success(request, _("The initiative is proposed."))
    return HttpResponseRedirect(back)


@require_POST
@page(WORK_TEAM_QUEUE)
def step_view(request: HttpRequest, signal_id: UUID) -> HttpResponse:
    form = StepForm(request.POST)
    back = _page_url(signal_id)
    if not form.is_valid():
        messages.error(request, _("Choose a step."))
        return HttpResponseRedirect(back)
    data: dict[str, Any] = form.cleaned_data
    follow_up: date | None = data["follow_up_on"]
    try:
        services.referral_step(
            actor=request.user,
            signal_id=signal_id,
            step=data["step"],
            follow_up_on=follow_up,
            reason=data["reason"],
            share_contact=data["share_contact"],
        )
    except DomainError as exc:
        return action_refused(request, exc, back)
    messages.success(request, _("The step is recorded."))
    return HttpResponseRedirect(back)
