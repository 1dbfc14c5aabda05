"""The privacy officer's pages: the access log with its filters, the break-glass review, the
subject requests, the registers, the consents that give less than was ticked, and from a signal
to its subject id. Each read goes through
the selector the audit API uses and is itself logged with the same disclosure
(audit.disclosure.access_logged), in the transaction that renders the page."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import HANDLE_PRIVACY_REQUESTS, VIEW_ACCESS_LOG
from audit.disclosure import access_logged
from backend.errors import DomainError
from privacy import break_glass_reviews, registers, rights_selectors, selectors
from privacy.models import SubjectRequest
from signals import selectors as signal_selectors
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
        filters = form.to_filter()
        with access_logged(actor=request.user) as log:
            found = selectors.access_log_page(
                filters=filters, after=form.cleaned_data["after"], size=ROWS
            )
            log.add(selectors.access_log_read(filters=filters, fmt="workspace"))
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
    with access_logged(actor=request.user) as log:
        openings = list(signal_selectors.break_glass_list().order_by("-opened_at", "id")[:ROWS])
        reviews = break_glass_reviews.reviews_of(openings)
        log.add(selectors.break_glass_review(openings))
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
    with access_logged(actor=request.user) as log:
        opening = signal_selectors.break_glass_list().filter(pk=access_id).first()
        if opening is None:
            raise DomainError("break_glass_not_found")
        review = break_glass_reviews.reviews_of([opening]).get(opening.pk)
        log.add(selectors.break_glass_review([opening]))
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
    with access_logged(actor=request.user) as log:
        rows = list(rights_selectors.subject_request_list(status=status, now=now)[:ROWS])
        recipients = rights_selectors.subject_recipients(subject_ids=[r.subject_id for r in rows])
        log.add(rights_selectors.subject_requests_listed(filters={"status": status or ""}))
        context = {
            "rows": [(row, recipients.get(row.subject_id, [])) for row in rows],
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
    with access_logged(actor=request.user) as log:
        consents = list(registers.consent_gap_rows()[:ROWS])
        log.add(registers.consent_gaps_read(fmt="workspace"))
    rows = [registers.consent_gap_entry(consent) for consent in consents]
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
            with access_logged(actor=request.user) as log:
                found = rights_selectors.signal_subject(signal_id=signal_id)
                log.add(rights_selectors.subject_lookup(found))
        except Signal.DoesNotExist as exc:
            denial_log(request, exc, {"signal_id": signal_id})
            messages.error(request, _("There is no signal with this id."))
    return render(request, "workspace/privacy_lookup.html", {"form": form, "found": found})
