"""The start page, the coordinator's overview (with the team roles waiting for their approval)
and one's own notification settings."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.roles import COORDINATE_TEAM, VIEW_ACCESS_LOG, WORK_TEAM_QUEUE
from audit.context import AccessContext
from backend.errors import DomainError
from notifications import selectors as notification_selectors
from notifications.services import notification_preference_set
from signals import workload
from workspace import forms
from workspace.pages import action_refused, page


@require_GET
@page()
def home_view(request: HttpRequest) -> HttpResponse:
    """Where each role starts: the queue for team work, the access log for the officer."""
    user = request.user
    if user.has_perm(WORK_TEAM_QUEUE):
        return HttpResponseRedirect(reverse("workspace:queue"))
    if user.has_perm(VIEW_ACCESS_LOG):
        return HttpResponseRedirect(reverse("workspace:privacy-access-log"))
    return render(request, "workspace/home.html")


@require_GET
@page(COORDINATE_TEAM)
def coordinator_view(request: HttpRequest) -> HttpResponse:
    """Workload per member, unassigned, overdue and escalated signals of the teams the user
    coordinates. The lists show no personal field; the selector logs them as a list, like the
    queue."""
    teams = workload.team_workload(user=request.user)
    pending = account_selectors.membership_requests_decidable(user=request.user)
    context = {"teams": teams, "membership_requests": pending}
    return render(request, "workspace/coordinator.html", context)


@require_POST
@page(COORDINATE_TEAM)
def membership_request_decide_view(
    request: HttpRequest, membership_request_id: UUID
) -> HttpResponse:
    """Approve or refuse a team role an admin requested for one's team (docs/adr/0034), through
    the service the API uses. Another team's request is not found."""
    back = reverse("workspace:coordinator")
    form = forms.MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
        return HttpResponseRedirect(back)
    decide = {
        "approve": account_services.team_membership_approve,
        "refuse": account_services.team_membership_refuse,
    }[form.cleaned_data["decision"]]
    try:
        decided = decide(
            request_id=membership_request_id,
            actor=request.user,
            context=AccessContext.from_request(request),
        )
    except DomainError as exc:
        return action_refused(request, exc, back)
    if decided.status == decided.Status.APPROVED:
        messages.success(request, _("Approved: the team role takes effect now."))
    else:
        messages.success(request, _("Refused: the team role is not given."))
    return HttpResponseRedirect(back)


@page()
def preferences_view(request: HttpRequest) -> HttpResponse:
    """Quiet hours and the daily digest, through the service the API uses."""
    current = notification_selectors.preference_of(user=request.user)
    form = forms.PreferencesForm(request.POST or None, initial=current._asdict())
    if request.method == "POST" and form.is_valid():
        try:
            notification_preference_set(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message())
        else:
            messages.success(request, _("Your settings are saved."))
            return HttpResponseRedirect(reverse("workspace:preferences"))
    return render(request, "workspace/preferences.html", {"form": form})
