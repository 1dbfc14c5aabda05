"""The privacy officer's pages: the access log with its filters, the break-glass review, the
subject requests, the registers, the consents that give less than was ticked, and from a signal
to its subject id. Each read goes through the selector the audit API uses, which writes the
access-log row in its own transaction (docs/adr/0041): the pages write none."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import HANDLE_PRIVACY_REQUESTS, VIEW_ACCESS_LOG
from backend.errors import DomainError
from privacy import break_glass_reviews, registers, rights_selectors, selectors
from privacy.models import SubjectRequest
from signals.models import Signal
from workspace.forms import SubjectLookupForm
from workspace.forms_privacy import AccessLogFilterForm, BreakGlassReviewForm, cursor_text
from workspace.pages import action_refused, denial_log, page

ROWS = 100


@require_GET
@page(VIEW_ACCESS_LOG)
def access_log_view(request: HttpRequest) -> HttpResponse:
    """The access log in words, newest first, page by page through every row (keyset paging
    in the selector), with the API's filters typed by the page's form; the read is logged."""
    form = AccessLogFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "rows": [], "next_url": None, "first_url": None}
    if form.is_valid():
        after = form.cleaned_data["after"]
        found = selectors.access_log_search(
            actor=request.user,
            filters=form.to_filter(),
            fmt="workspace",
            paginate=lambda rows: selectors.keyset_page(rows, after=after, size=ROWS),
        )
        actors, organisations = selectors.names_of(found.rows)
        query = request.GET.copy()
        query.pop("after", None)
        context.update(
            rows=found.rows,
            actors=actors,
            organisations=organisations,
            first_url=f"?{query.urlencode()}" if form.cleaned_data["after"] else None,
        )
        if found.next_after:
            query["after"] = cursor_text(found.next_after)
            context["next_url"] = f"?{query.urlencode()}"
    else:
        messages.error(request, _("The filters are invalid."))
    context["limit"] = ROWS
    return render(request, "workspace/privacy_access_log.html", context)


@require_GET
@page(VIEW_ACCESS_LOG)
def break_glass_review_view(request: HttpRequest) -> HttpResponse:
    """Every break-glass opening with its reason and its review, newest first; the read is
    logged."""
    openings = selectors.break_glass_openings(
        actor=request.user,
        paginate=lambda rows: list(rows.order_by("-opened_at", "id")[:ROWS]),
    )
    reviews = break_glass_reviews.reviews_of(openings)
    names, _organisations = selectors.names_of_users([o.user_id for o in openings])
    rows = [(o, reviews.get(o.pk), names.get(o.user_id)) for o in openings]
    context = {"rows": rows, "now": timezone.now()}
    return render(request, "workspace/privacy_break_glass.html", context)


@page(VIEW_ACCESS_LOG)
def break_glass_review_record_view(request: HttpRequest, access_id: Any) -> HttpResponse:
    """One opening, its reason and who opened it, with the form that marks it reviewed (a
    finding and a confirmation). The read of the opening is logged; the review is written by
    privacy.break_glass_reviews.break_glass_review_record."""
    form = BreakGlassReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            break_glass_reviews.break_glass_review_record(
                actor=request.user, access_id=access_id, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            return action_refused(request, exc, reverse("workspace:privacy-break-glass"))
        messages.success(request, _("The break-glass opening is marked as reviewed."))
        return redirect("workspace:privacy-break-glass")
    opening = selectors.break_glass_opening_get(actor=request.user, access_id=access_id)
    review = break_glass_reviews.reviews_of([opening]).get(opening.pk)
    names, _organisations = selectors.names_of_users([opening.user_id])
    context = {
        "opening": opening,
        "review": review,
        "opener": names.get(opening.user_id),
        "form": form,
        "now": timezone.now(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "workspace/privacy_break_glass_review.html", context, status=status)


@require_GET
@page(HANDLE_PRIVACY_REQUESTS)
def subject_requests_view(request: HttpRequest) -> HttpResponse:
    """Registered data-subject requests, soonest due first, each with the initiatives that
    already received the resident's contact details (AVG art. 19); the read is logged."""
    status = request.GET.get("status") or None
    if status not in (None, *SubjectRequest.Status.values):
        status = None
    now = timezone.now()
    found = rights_selectors.subject_request_page(
        actor=request.user,
        filters={"status": status or ""},
        now=now,
        paginate=lambda rows: list(rows[:ROWS]),
    )
    context = {
        "rows": [(row, found.recipients.get(row.subject_id, [])) for row in found.rows],
        "now": now,
        "statuses": SubjectRequest.Status.choices,
    }
    return render(request, "workspace/privacy_requests.html", context)


@require_GET
@page(HANDLE_PRIVACY_REQUESTS)
def registers_view(request: HttpRequest) -> HttpResponse:
    """The Art. 30 register (generated from code and settings; no personal data) as a page,
    in words; the Markdown and the consent register's CSV stay the API's."""
    register = registers.processing_register()
    return render(
        request,
        "workspace/privacy_registers.html",
        {
            "register": register,
            "security": registers.security_measure_lines(register),
            "kept": registers.field_names(register["personal_data"]["kept_after_erasure"]),
        },
    )


@require_GET
@page(HANDLE_PRIVACY_REQUESTS)
def consent_gaps_view(request: HttpRequest) -> HttpResponse:
    """The newest consents that give less than was ticked (docs/adr/0032); the read is logged
    as the API's."""
    rows = registers.consent_gaps_page(
        actor=request.user, fmt="workspace", paginate=lambda consents: list(consents[:ROWS])
    )
    for row in rows:
        row["purposes"] = [registers.purpose_description(c) for c in row["purposes_not_covered"]]
    return render(request, "workspace/privacy_consent_gaps.html", {"rows": rows, "limit": ROWS})


@page(HANDLE_PRIVACY_REQUESTS)
def subject_lookup_view(request: HttpRequest) -> HttpResponse:
    """From a signal id to the resident's pseudonymous subject id, for a rights request that
    names a signal. Each lookup is logged (read, purpose data_subject_request)."""
    form = SubjectLookupForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        signal_id = form.cleaned_data["signal"]
        try:
            found = rights_selectors.signal_subject_lookup(actor=request.user, signal_id=signal_id)
        except Signal.DoesNotExist as exc:
            denial_log(request, exc, {"signal_id": signal_id})
            messages.error(request, _("There is no signal with this id."))
    return render(request, "workspace/privacy_lookup.html", {"form": form, "found": found})
