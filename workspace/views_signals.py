"""The queue and the work on one signal. Thin views: each calls the selector or service the API
calls, which writes the same access-log row (NEN 7513, docs/adr/0041); who may do what is the
services' business (signals.access). Refusals are shown in the page's language
(workspace.pages)."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts.roles import HANDLE_PRIVACY_REQUESTS, SUBMIT_SIGNAL, WORK_TEAM_QUEUE
from backend.errors import DomainError
from initiatives import selectors as initiative_selectors
from signals import selectors, services, workflow, workload
from signals.access import BREAK_GLASS, is_coordinator
from signals.grounds import Rule
from signals.models import Outcome, Signal, Status
from signals.visibility import grounds_of
from workspace import forms
from workspace import selectors as workspace_selectors
from workspace import services as workspace_services
from workspace.pages import action_refused, denial_log, page

QUEUE_PAGE_SIZE = 25  # as the API's queue (signals.api.views.QueuePagination)


def _page_link(request: HttpRequest, number: int) -> str:
    """This page of the queue with the same filters."""
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


@require_GET
@page(WORK_TEAM_QUEUE)
def queue_view(request: HttpRequest) -> HttpResponse:
    """The team's queue with the API's filters (parsed by the page's form into the selector's
    QueueFilter), deadline or newest first, counts per status and overdue; signals not yet
    opened are marked new. The selector logs the page as the API's queue list."""
    neighbourhoods = list(account_selectors.neighbourhood_names())
    form = forms.QueueFilterForm(request.GET, neighbourhoods=neighbourhoods)
    rows: list[Signal] = []
    listed: Any = None

    def paginate(queryset: Any) -> Any:
        nonlocal listed
        listed = Paginator(queryset, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        return listed.object_list

    if form.is_valid():
        page_rows = selectors.queue_page(
            user=request.user, filters=form.to_filter(), paginate=paginate
        )
        rows = page_rows.rows
    else:
        messages.error(request, _("The filters are invalid."))
    seen = workspace_selectors.seen_signal_ids(user=request.user, signal_ids=[r.pk for r in rows])
    now = timezone.now()
    context = {
        "form": form,
        "rows": rows,
        "seen": seen,
        "now": now,
        "open_statuses": workflow.OPEN_FOR_TEAM,
        "counts": workload.queue_counts(user=request.user),
        "next_link": (
            _page_link(request, listed.next_page_number()) if listed and listed.has_next() else None
        ),
        "previous_link": (
            _page_link(request, listed.previous_page_number())
            if listed and listed.has_previous()
            else None
        ),
    }
    return render(request, "workspace/queue.html", context)


def _signal_url(signal_id: Any) -> str:
    return reverse("workspace:signal", args=[signal_id])


def _transition_choices(signal: Signal) -> list[dict[str, Any]]:
    return [
        {
            "to": to,
            "label": Status(to).label,
            "needs_outcome": to == Status.CLOSED,
            "needs_reason": to == Status.DECLINED,
        }
        for to in workflow.allowed_from(signal.status)
    ]


@require_GET
@page(WORK_TEAM_QUEUE)
def signal_view(request: HttpRequest, signal_id: UUID) -> HttpResponse:
    """The facts, the events as a timeline, notes and corrections, and what the user may do
    now. The selector logs it as the API's detail read (the fields holding a value)."""
    user = request.user
    signal = selectors.signal_get_for_team(user=user, signal_id=signal_id)
    team_work = grounds_of(signal).rule != Rule.BREAK_GLASS
    coordinator = team_work and is_coordinator(user, signal)
    context = {
        "signal": signal,
        "team_work": team_work,
        "coordinator": coordinator,
        "open": signal.status in workflow.OPEN_FOR_TEAM,
        "forwardable": coordinator and signal.status in workflow.FORWARDABLE,
        "transitions": _transition_choices(signal) if team_work else [],
        "outcomes": Outcome.choices,
        "members": (
            list(account_selectors.team_members(user=user, team_id=signal.team_id))
            if coordinator
            else []
        ),
        "teams": [t for t in account_selectors.teams_active() if t.pk != signal.team_id],
        "corrected": {note.corrects_id for note in signal.notes.all() if note.corrects_id},
        "now": timezone.now(),
    }
    response = render(request, "workspace/signal.html", context)
    workspace_services.signal_seen_mark(user=user, signal_id=signal.pk)
    return response


def _signal_action(
    request: HttpRequest,
    signal_id: UUID,
    form: Any,
    *,
    invalid: str,
    act: Callable[[dict[str, Any]], Any],
    done: str | Callable[[dict[str, Any]], str],
    then: str | None = None,
) -> HttpResponse:
    """One form posted on a signal: validated, then `act` calls the service (which writes its
    access-log row); a refusal shows the service's own message."""
    back = _signal_url(signal_id)
    if not form.is_valid():
        messages.error(request, invalid)
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    try:
        act(data)
    except DomainError as exc:
        return action_refused(request, exc, back)
    messages.success(request, done(data) if callable(done) else done)
    return HttpResponseRedirect(then or back)


@require_POST
@page(WORK_TEAM_QUEUE)
def transition_view(request: HttpRequest, signal_id: UUID) -> HttpResponse:
    def act(data: dict[str, Any]) -> Any:
        return services.signal_transition(
            signal_id=signal_id,
            actor=request.user,
            to_status=data["to"],
            expected_version=data["version"],
            note=data["note"],
            outcome=data["outcome"],
        )

    return _signal_action(
        request,
        signal_id,
        forms.TransitionForm(request.POST),
        invalid=_("Choose an outcome or give a reason where asked."),
        act=act,
        done=lambda data: _("Status changed to: %(status)s") % {"status": Status(data["to"]).label},
    )


@require_POST
@page(WORK_TEAM_QUEUE)
def assign_view(request: HttpRequest, signal_id: UUID) -> HttpResponse:
    """Claim (no member chosen) or, for a coordinator, assign to a member of the team."""

    def act(data: dict[str, Any]) -> Any:
        return services.signal_assign(
            signal_id=signal_id,
            actor=request.user,
            assignee_id=data["assignee"],
            expected_version=data["version"],
        )

    return _signal_action(
        request,
        signal_id,
        forms.AssignForm(request.POST),
        invalid=_("Choose a member of the team."),
        act=act,
        done=_("The signal is assigned."),
    )


@require_POST
@page(WORK_TEAM_QUEUE)
def forward_view(request: HttpRequest, signal_id: UUID) -> HttpResponse:
    """Coordinator: send the signal to another team; it leaves this queue."""

    def act(data: dict[str, Any]) -> Any:
        return services.signal_forward(
            signal_id=signal_id,
            actor=request.user,
            team_id=data["team"],
            expected_version=data["version"],
            reason=data["reason"],
        )

    return _signal_action(
        request,
        signal_id,
        forms.ForwardForm(request.POST),
        invalid=_("Choose a team and give a reason."),
        act=act,
        done=_("The signal is forwarded."),
        then=reverse("workspace:queue"),
    )


@require_POST
@page(WORK_TEAM_QUEUE)
def note_view(request: HttpRequest, signal_id: UUID) -> HttpResponse:
    """A note, or a correction of one (a new note that refers to it)."""

    def act(data: dict[str, Any]) -> Any:
        return services.signal_note_add(
            signal_id=signal_id,
            actor=request.user,
            body=data["body"],
            corrects_id=data["corrects"],
        )

    return _signal_action(
        request,
        signal_id,
        forms.NoteForm(request.POST),
        invalid=_("Write the note first."),
        act=act,
        done=_("The note is added."),
    )


def _withdraw_page(request: HttpRequest, signal_id: UUID, form: Any, *, status: int) -> Any:
    """The confirmation asked before a withdrawal: what will be erased, that it cannot be
    undone, who already received the contact details (AVG art. 19), and the reason field."""
    signal, recipients = initiative_selectors.withdrawal_preview(
        actor=request.user, signal_id=signal_id
    )
    context = {
        "signal": signal,
        "form": form,
        "recipients": recipients,
        "back": _signal_url(signal.pk) if request.user.has_perm(WORK_TEAM_QUEUE) else "",
    }
    return render(request, "workspace/withdraw.html", context, status=status)


def _recipients_text(recipients: list[Any]) -> str:
    return ", ".join(
        f"{r.name} ({date_format(timezone.localtime(r.received_at), 'j F Y')})" for r in recipients
    )


@require_http_methods(["GET", "POST"])
@page(SUBMIT_SIGNAL, WORK_TEAM_QUEUE, HANDLE_PRIVACY_REQUESTS)
def withdraw_view(request: HttpRequest, signal_id: UUID) -> HttpResponse:
    """Consent withdrawn on the resident's word. GET asks to confirm (what will be erased, that
    it cannot be undone, who already has the contact details); POST, with the required reason,
    erases at once and names those recipients again. A missing reason changes nothing."""
    if request.method == "GET":
        return _withdraw_page(request, signal_id, forms.WithdrawForm(), status=200)
    form = forms.WithdrawForm(request.POST)
    if not form.is_valid():
        return _withdraw_page(request, signal_id, form, status=400)
    reason = form.cleaned_data["reason"]
    try:
        signal = services.consent_withdraw(signal_id=signal_id, actor=request.user, reason=reason)
    except DomainError as exc:
        return action_refused(request, exc, _signal_url(signal_id))
    recipients = initiative_selectors.data_recipients(signal_ids=[signal.pk])
    done = _("Consent is withdrawn; the personal data is erased.")
    if recipients:
        done += " " + _(
            "These initiatives already received the contact details: %(recipients)s. Tell "
            "them the data is erased (GDPR art. 19)."
        ) % {"recipients": _recipients_text(recipients)}
    messages.success(request, done)
    if request.user.has_perm(WORK_TEAM_QUEUE):
        return HttpResponseRedirect(_signal_url(signal_id))
    return HttpResponseRedirect(reverse("workspace:home"))


@page(BREAK_GLASS)
def break_glass_view(request: HttpRequest) -> HttpResponse:
    """Open a signal outside your teams, for reading only, with a typed reason."""
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            access = services.signal_break_glass_open(
                signal_id=data["signal"], actor=request.user, reason=data["reason"]
            )
        except DomainError as exc:
            if exc.status in (403, 423):
                raise
            messages.error(request, exc.message())
        except Signal.DoesNotExist as exc:
            denial_log(request, exc, {"signal_id": data["signal"]})
            messages.error(request, _("There is no signal with this id that can be opened."))
        else:
            return HttpResponseRedirect(_signal_url(access.signal_id))
    return render(request, "workspace/break_glass.html", {"form": form})
