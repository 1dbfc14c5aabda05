"""The privacy officer's pages: the access log with its filters, the break-glass review, the
subject requests, the registers, the consents that give less than was ticked, and from a signal
to its subject id. Each read goes through
the selector the audit API uses and is itself logged with the same disclosure
(audit.disclosure.access_logged), in the transaction that renders the page."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import HANDLE_PRIVACY_REQUESTS, VIEW_ACCESS_LOG
from audit.disclosure import access_logged
from audit.models import AccessOutcome, Action
from privacy import registers, rights_selectors, selectors
from privacy.api import AccessLogFilterInput
from privacy.models import SubjectRequest
from signals import selectors as signal_selectors
from signals.models import Signal
from workspace.forms import SubjectLookupForm
from workspace.pages import denial_log, page

ROWS = 100


def _given(request: HttpRequest, names: Any) -> dict[str, str]:
    return {name: request.GET[name] for name in names if request.GET.get(name)}


@require_GET
@page(VIEW_ACCESS_LOG)
def access_log_view(request: HttpRequest) -> HttpResponse:
    """The newest rows of the access log, with the API's filters (the same validation)."""
    query = AccessLogFilterInput(
        data=_given(request, [*AccessLogFilterInput().fields, "from", "to"])
    )
    rows: list[Any] = []
    if query.is_valid():
        filters = query.to_filter()
        with access_logged(actor=request.user) as log:
            rows = list(selectors.access_log_list(filters=filters)[:ROWS])
            log.add(selectors.access_log_read(filters=filters, fmt="workspace"))
    else:
        messages.error(request, _("The filters are invalid."))
    context = {
        "rows": rows,
        "errors": query.errors,
        "values": request.GET,
        "actions": Action.choices,
        "outcomes": AccessOutcome.choices,
        "limit": ROWS,
    }
    return render(request, "workspace/privacy_access_log.html", context)


@require_GET
@page(VIEW_ACCESS_LOG)
def break_glass_review_view(request: HttpRequest) -> HttpResponse:
    """Every break-glass opening with its reason, newest first; the read is logged."""
    with access_logged(actor=request.user) as log:
        openings = list(signal_selectors.break_glass_list().order_by("-opened_at", "id")[:ROWS])
        log.add(selectors.break_glass_review(openings))
        context = {"openings": openings, "now": timezone.now()}
        return render(request, "workspace/privacy_break_glass.html", context)


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
    """The Art. 30 register (generated from code and settings; no personal data), as the API's
    Markdown; the consent register is the API's CSV export."""
    text = registers.processing_register_markdown(registers.processing_register())
    return render(request, "workspace/privacy_registers.html", {"register_text": text})


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
