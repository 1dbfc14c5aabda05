"""Push notifications: the app installations we push to, one delivery row per recipient device
and event (the outbox), and per-user quiet hours.

A Notification never holds signal content: only the kind of event and the signal's opaque id.
The app fetches details over the authenticated API."""

import uuid
from datetime import time
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Language


class Device(models.Model):
    """One app installation of one user. Deactivated rather than deleted, so delivery rows keep
    their device; devices unseen for DEVICE_PRUNE_DAYS are deleted by a beat task."""

    class Platform(models.TextChoices):
        ANDROID = "android", "Android"
        IOS = "ios", "iOS"

    class DeactivationReason(models.TextChoices):
        LOGOUT = "logout", "Uitgelogd"
        USER_DEACTIVATED = "user_deactivated", "Account gedeactiveerd"
        DELETED_BY_OWNER = "deleted_by_owner", "Verwijderd door eigenaar"
        UNREGISTERED = "unregistered", "Token niet meer geldig (FCM)"
        SENDER_ID_MISMATCH = "sender_id_mismatch", "Token van een ander project (FCM)"
        INVALID_TOKEN = "invalid_token", "Ongeldig token (FCM)"
        DISPLACED = "displaced", "Vervangen door een nieuwer apparaat (maximum bereikt)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices"
    )
    # The login session that registered the device: logging out of it stops its pushes.
    login_session = models.ForeignKey(
        "accounts.LoginSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # FCM addresses an installation by its Firebase installation id (FID); older app versions
    # only have a registration token. At least one is present; pushes use the FID when known.
    registration_token = models.CharField(max_length=4096, blank=True)
    installation_id = models.CharField(max_length=64, blank=True)
    platform = models.CharField(max_length=8, choices=Platform.choices)
    app_version = models.CharField(max_length=32, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.DUTCH)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivation_reason = models.CharField(
        max_length=24, choices=DeactivationReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["-last_seen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_token"],
                condition=~Q(registration_token=""),
                name="device_registration_token_unique",
            ),
            models.UniqueConstraint(
                fields=["installation_id"],
                condition=~Q(installation_id=""),
                name="device_installation_id_unique",
            ),
            models.CheckConstraint(
                condition=~Q(registration_token="") | ~Q(installation_id=""),
                name="device_has_push_address",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "is_active"]),
            models.Index(fields=["last_seen_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} device {self.pk}"


class Notification(models.Model):
    """One push to one device about one event. Created pending in the transaction that recorded
    the event; a task claims it (sending), pushes outside any transaction and records the answer;
    a sweeper re-enqueues what never ran and reclaims claims whose task was lost
    (docs/adr/0023-claimed-delivery-and-collapse-keys.md)."""

    class Kind(models.TextChoices):
        SIGNAL_ROUTED = "signal_routed", "Nieuw signaal voor het team"
        SIGNAL_FORWARDED = "signal_forwarded", "Signaal doorgestuurd naar het team"
        SIGNAL_ASSIGNED = "signal_assigned", "Signaal toegewezen"
        SIGNAL_ACKNOWLEDGED = "signal_acknowledged", "Signaal opgepakt"
        SIGNAL_ESCALATED = "signal_escalated", "Signaal geëscaleerd"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Toestemming ingetrokken"

    class Status(models.TextChoices):
        PENDING = "pending", "Wacht op verzending"
        SENDING = "sending", "Wordt verzonden"
        SENT = "sent", "Verzonden"
        FAILED = "failed", "Mislukt"
        DEAD = "dead", "Apparaat onbereikbaar"

    event = models.ForeignKey(
        "signals.SignalEvent",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # The id the app uses to fetch details (the signal's UUID); opaque to anyone else.
    object_id = models.UUIDField()
    device = models.ForeignKey(
        Device, null=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    is_urgent = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # Claims so far: each claim is one attempt, and the attempt number fences the answer (an
    # answer that comes back after the row was claimed again is not recorded).
    attempts = models.PositiveSmallIntegerField(default=0)
    # The current claim: who holds it (the send task's id) and since when (the lease).
    claim_token = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=48, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True)
    # Quiet hours and retry back-off: not sent before this moment.
    not_before = models.DateTimeField(default=timezone.now)
    dedupe_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("push notification")
        verbose_name_plural = _("push notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["not_before", "updated_at"],
                condition=Q(status="pending"),
                name="notification_pending_due",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="notification_sending_claimed",
            ),
            # The metrics count failures on every scrape (docs/adr/0045); few rows, not the
            # table of everything ever sent.
            models.Index(
                fields=["status"],
                condition=Q(status__in=["failed", "dead"]),
                name="notification_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} -> device {self.device_id} ({self.status})"


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            _("Unknown time zone: %(value)s."), code="invalid", params={"value": value}
        )


class NotificationPreference(models.Model):
    """Per-user quiet hours. Equal start and end means no quiet hours. Users without a row get
    the defaults below."""

    DEFAULT_START = time(22, 0)
    DEFAULT_END = time(7, 0)
    DEFAULT_TIMEZONE = "Europe/Amsterdam"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    quiet_hours_start = models.TimeField(default=DEFAULT_START)
    quiet_hours_end = models.TimeField(default=DEFAULT_END)
    timezone = models.CharField(
        max_length=64, default=DEFAULT_TIMEZONE, validators=[validate_timezone]
    )
    # The daily e-mail digest of the person's teams (new and overdue signals); opt-out.
    daily_digest = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"quiet hours {self.quiet_hours_start:%H:%M}-{self.quiet_hours_end:%H:%M}"


class EmailNotice(models.Model):
    """One e-mail to one person: the fallback for a signal event that reached them by no push
    (no active device, or every push failed), or the daily digest of a team. Like a push it
    holds no signal content: the kind, the signal's opaque id or the team's counts, and the
    link to the workspace (docs/adr/0028). Created pending in the transaction that caused it; a
    task claims it (sending), sends it outside any transaction and records the answer, and a
    sweeper re-enqueues what never ran and hands out claims whose task was lost, as for pushes
    (docs/adr/0036-e-mail-claims-and-a-frozen-database.md)."""

    class Kind(models.TextChoices):
        SIGNAL_ROUTED = Notification.Kind.SIGNAL_ROUTED
        SIGNAL_FORWARDED = Notification.Kind.SIGNAL_FORWARDED
        SIGNAL_ASSIGNED = Notification.Kind.SIGNAL_ASSIGNED
        SIGNAL_ESCALATED = Notification.Kind.SIGNAL_ESCALATED
        CONSENT_WITHDRAWN = Notification.Kind.CONSENT_WITHDRAWN
        TEAM_DIGEST = "team_digest", "Dagoverzicht van het team"

    class Reason(models.TextChoices):
        NO_DEVICE = "no_device", "Geen actief apparaat"
        PUSH_FAILED = "push_failed", "Pushbericht mislukt"
        DIGEST = "digest", "Dagoverzicht"

    class Status(models.TextChoices):
        PENDING = "pending", "Wacht op verzending"
        SENDING = "sending", "Wordt verzonden"
        SENT = "sent", "Verzonden"
        FAILED = "failed", "Mislukt"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_notices"
    )
    event = models.ForeignKey(
        "signals.SignalEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    object_id = models.UUIDField(null=True, blank=True)
    # Digest counts only (new, open, overdue): never signal content.
    data = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # Claims so far: each claim is one attempt, counted before the e-mail leaves.
    attempts = models.PositiveSmallIntegerField(default=0)
    # The current claim: who holds it (the send task's id) and since when (the lease).
    claim_token = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=48, blank=True)
    dedupe_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("e-mail notice")
        verbose_name_plural = _("e-mail notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["updated_at"],
                condition=Q(status="pending"),
                name="email_notice_pending",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="email_notice_sending_claimed",
            ),
            models.Index(
                fields=["status"], condition=Q(status="failed"), name="email_notice_failed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} e-mail to {self.user_id} ({self.status})"
