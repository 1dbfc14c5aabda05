"""The privacy officer's forms: the access log's filter (typed, as the API's, with date
pickers), registering a request, handling it, the export and the break-glass review. Each
action form carries a confirmation checkbox: without it nothing happens."""

import uuid
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AccessOutcome, Action
from privacy.models import SubjectRequest
from privacy.selectors import AccessLogFilter
from privacy.subject_export import day_after, day_start

CONFIRM_REQUIRED = _("Tick the box to confirm; nothing has been done yet.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _confirm(label: str) -> forms.BooleanField:
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": CONFIRM_REQUIRED}
    )


class _Period(forms.Form):
    date_from = forms.DateField(label=_("From (day)"), required=False, widget=DateInput())
    date_to = forms.DateField(
        label=_("Up to and including (day)"), required=False, widget=DateInput()
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Must be on or after the first day."))
        return data


class AccessLogFilterForm(_Period):
    """The API's filters (privacy.api.AccessLogFilterInput) as a page form: days for the
    period in local time, actions and outcomes by name; `after` is the keyset cursor."""

    subject = forms.UUIDField(label=_("Subject id"), required=False)
    actor = forms.UUIDField(label=_("Staff member (user id)"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *Action.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", _("All")), *AccessOutcome.choices]
    )
    break_glass = forms.ChoiceField(
        label=_("Break-glass"),
        required=False,
        choices=[("", _("All")), ("true", _("Only break-glass")), ("false", _("No break-glass"))],
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_after(self) -> tuple[datetime, uuid.UUID] | None:
        value = self.cleaned_data.get("after") or ""
        if not value:
            return None
        moment, _sep, event_id = value.rpartition("_")
        try:
            at = datetime.fromisoformat(moment)
            key = uuid.UUID(event_id)
        except ValueError as exc:
            raise forms.ValidationError(_("This page link is not valid.")) from exc
        if timezone.is_naive(at):
            raise forms.ValidationError(_("This page link is not valid."))
        return at, key

    def to_filter(self) -> AccessLogFilter:
        data = self.cleaned_data
        return AccessLogFilter(
            subject_id=data.get("subject"),
            actor_id=data.get("actor"),
            action=data.get("action") or None,
            outcome=data.get("outcome") or None,
            break_glass={"true": True, "false": False}.get(data.get("break_glass") or ""),
            period_from=day_start(data.get("date_from")),
            period_to=day_after(data.get("date_to")),
        )


def cursor_text(key: tuple[datetime, uuid.UUID] | None) -> str:
    """The keyset cursor as a query parameter (`after`)."""
    return f"{key[0].isoformat()}_{key[1]}" if key else ""


class RequestRegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=SubjectRequest.Kind.choices)
    subject_id = forms.UUIDField(label=_("Subject id"))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Received by"), choices=SubjectRequest.Channel.choices)
    reason = forms.CharField(
        label=_("Stated grounds (required for erasure and restriction; no names)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_received_on(self) -> date:
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A request cannot be received in the future."))
        return value

    def received_at(self) -> datetime:
        moment = day_start(self.cleaned_data["received_on"])
        assert moment is not None
        return moment


HANDLE_CARRY_OUT = "carry_out"
HANDLE_COMPLETED = SubjectRequest.Status.COMPLETED
HANDLE_REFUSED = SubjectRequest.Status.REFUSED


class RequestHandleForm(forms.Form):
    """What the officer does with an open request: carry out its action (erasure,
    restriction, lifting), close it as done, or refuse it with the reasons."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note (the reasons when refusing)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = _confirm(_("I have checked the summary above and confirm this decision."))

    def __init__(self, *args: Any, request: SubjectRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = SubjectRequest.Kind
        carry = {
            kind.ERASURE: _("Erase the personal data of every signal of this resident"),
            kind.RESTRICTION: _("Restrict processing of every signal of this resident"),
            kind.RESTRICTION_LIFT: _("Lift the restriction (the resident has been told)"),
        }
        choices: list[tuple[str, Any]] = []
        if request.kind in carry:
            choices.append((HANDLE_CARRY_OUT, carry[request.kind]))
        else:
            choices.append((HANDLE_COMPLETED, _("Done: the answer was sent")))
        choices.append((HANDLE_REFUSED, _("Refuse (give the reasons in the note)")))
        self.fields["decision"].choices = choices


class ExportForm(_Period):
    format = forms.ChoiceField(
        label=_("File"),
        choices=[
            ("pdf", _("PDF, to send to the resident")),
            ("json", _("JSON (machine-readable)")),
        ],
        widget=forms.RadioSelect,
        initial="pdf",
    )
    confirm = _confirm(_("I confirm this export answers this resident's access request."))


class BreakGlassReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Finding"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = _confirm(_("I have reviewed this opening and its reason."))
