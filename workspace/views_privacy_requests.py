"""The privacy officer's subject requests at the desk: register one (with a summary to
confirm), open it, carry out or close it (erasure, restriction, lifting, done, refused: each
with a confirmation), and hand out the Art. 15 export (JSON or PDF, in the resident's
language). Every write is the service the API calls (privacy.subject_rights), every read its
selector; both write their own access-log rows (ADR 27, 0048)."""

import json
from typing import Any

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import HANDLE_PRIVACY_REQUESTS
from backend.errors import DomainError
from privacy import rights_selectors, subject_rights
from privacy.models import SubjectRequest
from privacy.subject_export import subject_export_render
from workspace.forms_privacy import (
    HANDLE_CARRY_OUT,
    ExportForm,
    RequestHandleForm,
    RequestRegisterForm,
)
from workspace.pages import action_refused, page

ACTIONS = {
    SubjectRequest.Kind.ERASURE: subject_rights.subject_erase,
    SubjectRequest.Kind.RESTRICTION: subject_rights.subject_restrict,
    SubjectRequest.Kind.RESTRICTION_LIFT: subject_rights.subject_restriction_lift,
}


@page(HANDLE_PRIVACY_REQUESTS)
def request_register_view(request: HttpRequest) -> HttpResponse:
    """Step 1: the form. Step 2: its summary to confirm (the same values, hidden). Step 3:
    registered through `subject_request_register`, then the request's page."""
    if request.method != "POST":
        form = RequestRegisterForm(initial={"received_on": timezone.localdate()})
        return render(request, "workspace/privacy_request_new.html", {"form": form})
    form = RequestRegisterForm(request.POST)
    if not form.is_valid():
        return render(request, "workspace/privacy_request_new.html", {"form": form}, status=400)
    data = form.cleaned_data
    if not data["confirm"]:
        return render(request, "workspace/privacy_request_confirm.html", {"form": form})
    try:
        registered = subject_rights.subject_request_register(
            actor=request.user,
            kind=data["kind"],
            subject_id=data["subject_id"],
            received_at=form.received_at(),
            channel=data["channel"],
            reason=data["reason"],
        )
    except DomainError as exc:
        if exc.status in (403,):
            raise
        form.add_error(None, exc.message())
        return render(request, "workspace/privacy_request_new.html", {"form": form}, status=400)
    messages.success(request, _("The request is registered. It is due in one month."))
    return redirect("workspace:privacy-request", request_id=registered.pk)


def _request_page(
    request: HttpRequest,
    request_id: Any,
    *,
    handle_form: RequestHandleForm | None = None,
    export_form: ExportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    subject_request, recipients = rights_selectors.subject_request_open(
        actor=request.user, subject_request_id=request_id
    )
    is_open = subject_request.status == SubjectRequest.Status.OPEN
    context = {
        "r": subject_request,
        "recipients": recipients,
        "now": now,
        "is_open": is_open,
        "handle_form": handle_form or RequestHandleForm(request=subject_request),
        "export_form": export_form or ExportForm(),
        "can_export": is_open and subject_request.kind == SubjectRequest.Kind.ACCESS,
    }
    return render(request, "workspace/privacy_request.html", context, status=status)


@page(HANDLE_PRIVACY_REQUESTS)
def request_view(request: HttpRequest, request_id: Any) -> HttpResponse:
    """One request: what, whose, when due, who received the resident's contact details, and
    the decisions still open. The read is logged."""
    return _request_page(request, request_id)


@require_POST
@page(HANDLE_PRIVACY_REQUESTS)
def request_handle_view(request: HttpRequest, request_id: Any) -> HttpResponse:
    """Carries out (erasure, restriction, lifting), completes or refuses the request, once
    confirmed; the services check the request and write the access-log rows."""
    subject_request = rights_selectors.subject_request_get(subject_request_id=request_id)
    form = RequestHandleForm(request.POST, request=subject_request)
    if not form.is_valid():
        return _request_page(request, request_id, handle_form=form, status=400)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    back = reverse("workspace:privacy-request", kwargs={"request_id": subject_request.pk})
    try:
        if decision == HANDLE_CARRY_OUT:
            ACTIONS[subject_request.kind](
                actor=request.user,
                subject_id=subject_request.subject_id,
                reason=subject_request.reason,
                subject_request_id=subject_request.pk,
                note=note,
            )
        else:
            subject_rights.subject_request_close(
                actor=request.user,
                subject_request_id=subject_request.pk,
                status=decision,
                outcome_note=note,
            )
    except DomainError as exc:
        return action_refused(request, exc, back)
    messages.success(request, _("Done. The request is closed."))
    return redirect(back)


@require_POST
@page(HANDLE_PRIVACY_REQUESTS)
def request_export_view(request: HttpRequest, request_id: Any) -> HttpResponse:
    """The Art. 15 export of the request's resident, once confirmed: a PDF or JSON file in the
    resident's language, with who looked at their data in the chosen period. Closing the
    request stays a separate decision (the export was sent)."""
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _request_page(request, request_id, export_form=form, status=400)
    subject_request = rights_selectors.subject_request_get(subject_request_id=request_id)
    back = reverse("workspace:privacy-request", kwargs={"request_id": subject_request.pk})
    try:
        rendered = subject_export_render(
            actor=request.user,
            subject_id=subject_request.subject_id,
            subject_request_id=subject_request.pk,
            fmt=form.cleaned_data["format"],
            day_from=form.cleaned_data["date_from"],
            day_to=form.cleaned_data["date_to"],
        )
    except DomainError as exc:
        return action_refused(request, exc, back)
    if rendered.pdf is not None:
        response = HttpResponse(rendered.pdf, content_type="application/pdf")
    else:
        body = json.dumps(rendered.data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response
