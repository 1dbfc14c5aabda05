from django.contrib import admin

from privacy.models import RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    """Retention periods per end status; the hourly task applies a change on its next run and
    the processing register shows it at once."""

    list_display = ["status", "erase_after_days", "updated_at"]
    list_editable = ["erase_after_days"]
    readonly_fields = ["updated_at"]
