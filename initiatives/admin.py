"""Admins manage the catalogue. Every add and change lands in the admin's history (LogEntry,
the object's "History" page); the stale filter and `manage.py check` flag entries nobody
verified for INITIATIVE_VERIFY_AFTER_DAYS (docs/adr/0026)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from initiatives import codes
from initiatives.models import ActivityKind, Initiative
from initiatives.selectors import stale_before
from signals.models import TargetGroup


class CodeListField(forms.CharField):
    """A JSON list of codes edited as `a, b, c`."""

    def __init__(self, *, vocabulary: str, **kwargs: Any) -> None:
        self.vocabulary = vocabulary
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", f"comma-separated; {codes.describe(vocabulary)}")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> str:
        return ", ".join(value) if isinstance(value, list) else (value or "")

    def to_python(self, value: Any) -> list[str]:
        found = codes.split_codes(super().to_python(value))
        wrong = codes.invalid_codes(self.vocabulary, found)
        if wrong:
            raise forms.ValidationError(f"Not a {codes.describe(self.vocabulary)}: {wrong}")
        return found


FIELDSETS = (
    (None, {"fields": ("name", "slug", "organisation", "description_nl", "description_en")}),
    ("Offer", {"fields": ("kinds", "target_groups", "reasons", "languages")}),
    ("Area", {"fields": ("citywide", "wijk_codes", "buurt_codes")}),
    ("Access", {"fields": ("step_free", "transport_offered", "cost")}),
    ("Status", {"fields": ("contact_route", "accepting_new", "is_active", "last_verified_on")}),
)
FIELDS = [name for _title, options in FIELDSETS for name in options["fields"]]


class InitiativeForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        choices=ActivityKind.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    target_groups = forms.MultipleChoiceField(
        choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    languages = CodeListField(vocabulary="languages")
    buurt_codes = CodeListField(vocabulary="buurt_codes")
    wijk_codes = CodeListField(vocabulary="wijk_codes")

    class Meta:
        model = Initiative
        fields = FIELDS


class VerificationFilter(admin.SimpleListFilter):
    title = "verification"
    parameter_name = "verification"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("stale", "Not verified recently"), ("recent", "Verified recently")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "stale":
            return queryset.filter(last_verified_on__lt=stale_before())
        if self.value() == "recent":
            return queryset.filter(last_verified_on__gte=stale_before())
        return queryset


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    form = InitiativeForm
    list_display = (
        "name",
        "organisation",
        "citywide",
        "accepting_new",
        "is_active",
        "last_verified_on",
        "needs_verification",
    )
    list_filter = (VerificationFilter, "is_active", "accepting_new", "citywide", "cost")
    search_fields = ("name", "organisation", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("reasons",)
    actions = ["mark_verified_today"]
    fieldsets = FIELDSETS

    @admin.display(boolean=True, description="needs verification")
    def needs_verification(self, obj: Initiative) -> bool:
        return obj.last_verified_on < stale_before()

    @admin.action(description="Mark as verified today")
    def mark_verified_today(self, request: HttpRequest, queryset: QuerySet) -> None:
        today = timezone.localdate()
        for initiative in queryset:
            initiative.last_verified_on = today
            initiative.save(update_fields=["last_verified_on", "updated_at"])
            self.log_change(request, initiative, [{"changed": {"fields": ["last_verified_on"]}}])
