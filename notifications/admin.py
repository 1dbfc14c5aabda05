from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.roles import MANAGE_CONFIGURATION
from notifications.models import Device, EmailNotice, Notification, NotificationPreference


class DeliveryViewMixin:
    """The functional admin (capability manage_configuration) may look at devices and at what
    was pushed or e-mailed, to see why someone was not reached (issue 13); changing them stays
    with whoever holds the model permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MANAGE_CONFIGURATION) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(MANAGE_CONFIGURATION) or super().has_view_permission(
            request, obj
        )


class ReadOnlyDeliveryAdmin(DeliveryViewMixin, admin.ModelAdmin):
    """Delivery records: for looking, never for editing."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Device)
class DeviceAdmin(DeliveryViewMixin, admin.ModelAdmin):
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
class NotificationAdmin(ReadOnlyDeliveryAdmin):
    """Delivery records: for looking, never for editing. Filter on status failed or dead for
    the pushes that did not arrive (their person was e-mailed instead: EmailNotice)."""

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


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "quiet_hours_start", "quiet_hours_end", "timezone"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(EmailNotice)
class EmailNoticeAdmin(ReadOnlyDeliveryAdmin):
    """E-mails for people no push reached, and the daily digests: for looking only."""

    list_display = ["id", "kind", "reason", "status", "attempts", "user", "sent_at", "created_at"]
    list_filter = ["status", "reason", "kind"]
    list_select_related = ["user"]
    search_fields = ["=object_id", "user__email"]
    date_hierarchy = "created_at"
