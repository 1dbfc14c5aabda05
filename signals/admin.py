import hashlib

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from signals.models import (
    ConsentPurpose,
    ConsentText,
    DeadlinePolicy,
    ReasonCode,
    RoutingRule,
    Signal,
    SignalEvent,
)


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label_nl", "label_en", "is_active", "position"]
    list_editable = ["is_active", "position"]


class ConsentTextForm(forms.ModelForm):
    """The purposes as checkboxes: a text declares those it says what happens for (ADR 32)."""

    purposes = forms.MultipleChoiceField(
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick only the purposes this text explains; intake refuses any other."),
    )

    class Meta:
        model = ConsentText
        fields = ["version", "language", "body", "purposes", "is_active"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields.pop("purposes", None)  # read-only once added, like the body

    def clean_body(self) -> str:
        """A new version needs new words: the same body again (under other purposes, say) would
        let ticks claim what the words never said; the hash could not tell the two apart."""
        body = self.cleaned_data["body"]
        if self.instance.pk is None:
            digest = hashlib.sha256(body.encode()).hexdigest()
            same = ConsentText.objects.filter(sha256=digest).first()
            if same is not None:
                raise forms.ValidationError(
                    _("These words are already version %(version)s; a new version needs its own.")
                    % {"version": same.version}
                )
        return body


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    form = ConsentTextForm
    list_display = ["version", "language", "is_active", "purposes", "sha256", "created_at"]
    list_filter = ["language", "is_active"]
    readonly_fields = ["sha256", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ConsentText | None = None):
        # A text that was shown to residents must never change: publish a new version instead.
        if obj is not None:
            return [*self.readonly_fields, "version", "language", "body", "purposes"]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ConsentText, form, change: bool) -> None:
        obj.sha256 = hashlib.sha256(obj.body.encode()).hexdigest()
        super().save_model(request, obj, form, change)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = [
        "position",
        "name",
        "is_active",
        "target_group",
        "language",
        "reason",
        "urgency",
        "wijk_code",
        "team",
    ]
    list_display_links = ["name"]
    list_editable = ["position", "is_active"]
    list_select_related = ["reason", "team"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "urgency",
        "acknowledge_within_hours",
        "first_contact_within_hours",
        "working_hours",
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Signal)
class SignalAdmin(ReadOnlyAdmin):
    """Metadata only: resident fields are not shown in the admin (no routine access). No
    object-permission pages (GuardedModelAdmin): a signal is shared only by the break-glass
    service, which records its reason and expiry (docs/adr/0014)."""

    list_display = ["id", "status", "urgency", "target_group", "team", "due_at", "created_at"]
    list_filter = ["status", "urgency", "target_group", "team"]
    list_select_related = ["team"]
    fields = [
        "id",
        "status",
        "version",
        "urgency",
        "target_group",
        "team",
        "neighbourhood",
        "assigned_to",
        "due_at",
        "escalated_at",
        "created_at",
        "updated_at",
    ]


@admin.register(SignalEvent)
class SignalEventAdmin(ReadOnlyAdmin):
    list_display = ["signal_id", "type", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["type"]
    list_select_related = ["actor"]
