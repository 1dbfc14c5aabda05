from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import Device, Notification, NotificationPreference


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "user",
        "platform",
        "app_version",
        "language",
        "is_active",
        "last_seen_at",
    ]
    list_filter = ["platform", "is_active", "deactivation_reason", "language"]
    list_select_related = ["user"]
    search_fields = ["=id", "user__email"]
    raw_id_fields = ["user", "login_session"]
    readonly_fields = ["id", "created_at", "last_seen_at", "deactivated_at"]
    # The token identifies a phone; it is needed to push, not to administer.
    exclude = ["registration_token"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Delivery records: for looking, never for editing."""

    list_display = [
        "id",
        "kind",
        "status",
        "attempts",
        "last_error_code",
        "user",
        "device",
        "not_before",
        "claimed_at",
        "sent_at",
        "created_at",
    ]
    list_filter = ["status", "kind", "is_urgent", "last_error_code"]
    list_select_related = ["user", "device"]
    search_fields = ["=object_id", "=provider_message_id", "user__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "quiet_hours_start", "quiet_hours_end", "timezone"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
