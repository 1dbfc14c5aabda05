"""The workspace's forms: labels and help in the page's language (Django i18n). They only
shape input; the services decide (the same ones the API calls)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from signals.models import Outcome, Status, TargetGroup, Urgency
from signals.selectors import Assigned, QueueFilter


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(
        label=_("Password"), max_length=128, strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class OidcStartForm(forms.Form):
    """Sign in with the organisation's provider: its button names it, or the e-mail address's
    domain finds it (docs/adr/0046)."""

    prefix = "oidc"
    email = forms.EmailField(label=_("Work e-mail address"), max_length=254, required=False)
    provider = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="username")

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("provider"):
            raise forms.ValidationError(_("Give your work e-mail address."), code="required")
        return cleaned


class ResetCodeForm(forms.Form):
    reset_code = forms.CharField(
        label=_("One-time code from your e-mail"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=32,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", inputmode="numeric", autofocus=True
        )


def _choices(choices, blank: str = "") -> list[tuple[str, str]]:
    return [("", blank), *choices]


class MembershipDecisionForm(forms.Form):
    """A coordinator's decision on a requested team role (docs/adr/0034)."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])


class QueueFilterForm(forms.Form):
    """The queue's filters, named as the API's query parameters, parsed into the typed
    signals.selectors.QueueFilter the API's QueueFilterInput gives too; wijk and buurt by name."""

    status = forms.MultipleChoiceField(
        label=_("Status"), choices=Status.choices, required=False, widget=forms.SelectMultiple
    )
    urgency = forms.MultipleChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False)
    target_group = forms.MultipleChoiceField(
        label=_("Target group"), choices=TargetGroup.choices, required=False
    )
    wijk = forms.ChoiceField(label=_("Wijk"), required=False)
    buurt = forms.ChoiceField(label=_("Buurt"), required=False)
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        required=False,
        choices=[("", _("All")), ("true", _("Only overdue")), ("false", _("Not overdue"))],
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("To me")), ("none", _("Nobody"))],
    )
    ordering = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("deadline", _("Deadline first")), ("newest", _("Newest first"))],
    )

    def __init__(self, *args, neighbourhoods=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        wijken = sorted({(n.wijk_name or n.wijk_code) for n in neighbourhoods})
        buurten = sorted({(n.name or n.code) for n in neighbourhoods})
        self.fields["wijk"].choices = _choices([(w, w) for w in wijken], _("All"))
        self.fields["buurt"].choices = _choices([(b, b) for b in buurten], _("All"))

    def to_filter(self) -> QueueFilter:
        """The valid form's choices as the queue selector takes them."""
        data = self.cleaned_data
        return QueueFilter(
            statuses=frozenset(data["status"]),
            urgencies=frozenset(data["urgency"]),
            target_groups=frozenset(data["target_group"]),
            wijk=data["wijk"],
            buurt=data["buurt"],
            overdue={"true": True, "false": False}.get(data["overdue"]),
            assigned=Assigned(data["assigned"]) if data["assigned"] else None,
            ordering=data["ordering"] or "deadline",
        )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=_choices(Outcome.choices), required=False
    )


class AssignForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    assignee = forms.UUIDField(label=_("Member"), required=False)


class ForwardForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    team = forms.UUIDField(label=_("Team"))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea)
    corrects = forms.UUIDField(required=False, widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    """The confirmed withdrawal at the desk: a reason is required (issue 18, finding 6)."""

    reason = forms.CharField(
        label=_("How the withdrawal reached you (no details about the resident)"),
        max_length=200,
        error_messages={
            "required": _("Say how the withdrawal reached you; nothing was erased."),
            "max_length": _("The reason is too long (at most 200 characters); nothing was erased."),
        },
    )


class BreakGlassForm(forms.Form):
    signal = forms.UUIDField(label=_("Signal id"))
    reason = forms.CharField(
        label=_("Why you need this signal outside your team (reviewed by the privacy officer)"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea,
    )


class ClockInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%H:%M")


class PreferencesForm(forms.Form):
    quiet_hours_start = forms.TimeField(label=_("Quiet hours from"), widget=ClockInput)
    quiet_hours_end = forms.TimeField(label=_("Quiet hours until"), widget=ClockInput)
    timezone = forms.CharField(label=_("Time zone"), max_length=64)
    daily_digest = forms.BooleanField(label=_("Send me the daily digest by e-mail"), required=False)


class SubjectLookupForm(forms.Form):
    signal = forms.UUIDField(label=_("Signal id"))
