"""Data-subject requests and retention (AVG art. 12, 15, 17, 18; docs/adr/0013). The access log
itself is audit.models.AccessLog (docs/adr/0020)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.fields import EncryptedTextField


class SubjectRequest(models.Model):
    """A request from a resident about their data, tracked until it is answered. Due one
    calendar month after receipt (AVG art. 12(3)). Refers to the resident by the pseudonymous
    subject id only."""

    class Kind(models.TextChoices):
        ACCESS = "access", pgettext_lazy("subject request", "Access (art. 15)")
        ERASURE = "erasure", pgettext_lazy("subject request", "Erasure (art. 17)")
        RESTRICTION = "restriction", pgettext_lazy("subject request", "Restriction (art. 18)")
        RESTRICTION_LIFT = (
            "restriction_lift",
            pgettext_lazy("subject request", "Lifting a restriction (art. 18(3))"),
        )
        OBJECTION = "objection", pgettext_lazy("subject request", "Objection (art. 21)")
        OTHER = "other", pgettext_lazy("subject request", "Other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("subject request", "Open")
        COMPLETED = "completed", pgettext_lazy("subject request", "Completed")
        REFUSED = "refused", pgettext_lazy("subject request", "Refused")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", pgettext_lazy("subject request", "In person")
        LETTER = "letter", pgettext_lazy("subject request", "Letter")
        EMAIL = "email", pgettext_lazy("subject request", "E-mail")
        PHONE = "phone", pgettext_lazy("subject request", "Phone")
        VIA_TEAM = (
            "via_team",
            pgettext_lazy("subject request", "Through the neighbourhood team or the signaller"),
        )
        OTHER = "other", pgettext_lazy("subject request", "Other")

    # Kinds the privacy officer carries out through an action endpoint, never by closing alone.
    ACTION_KINDS = ("erasure", "restriction", "restriction_lift")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_id = models.UUIDField(db_index=True, help_text="Pseudonymous resident id.")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.OTHER)
    received_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="received_at plus one calendar month")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    reason = models.CharField(
        max_length=500,
        blank=True,
        help_text="The stated grounds (required for erasure and restriction). No names or "
        "contact details.",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subject request")
        verbose_name_plural = _("subject requests")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="subjectrequest_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["erasure", "restriction", "restriction_lift"])
                | ~models.Q(reason=""),
                name="subjectrequest_reason_required",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", completed_at__isnull=True)
                | (~models.Q(status="open") & models.Q(completed_at__isnull=False)),
                name="subjectrequest_completed_at_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} request {self.pk} ({self.status})"


class RetentionPolicy(models.Model):
    """How long personal data is kept once a signal has ended in a status. A status without a
    policy keeps its data; open statuses have no end and are never listed here."""

    class EndedStatus(models.TextChoices):
        CLOSED = "closed", "Afgesloten"
        DECLINED = "declined", "Niet opgepakt"
        WITHDRAWN = "withdrawn", "Toestemming ingetrokken"

    status = models.CharField(max_length=16, choices=EndedStatus.choices, unique=True)
    erase_after_days = models.PositiveIntegerField(
        help_text="Days after the signal ended (closed_at, or the withdrawal) until its personal "
        "fields and note bodies are erased."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        ordering = ["status"]
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"{self.status}: {self.erase_after_days} days"


class BreakGlassReview(models.Model):
    """The privacy officer's review of one break-glass opening (docs/adr/0014, 0048): who
    reviewed it, when, and the note. One per opening; never changed, the opening itself stays
    as it was written."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    access = models.OneToOneField(
        "signals.BreakGlassAccess", on_delete=models.CASCADE, related_name="review"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()
    # The officer's finding may quote the opener's reason, which may name the resident.
    note = EncryptedTextField(max_length=1000)

    class Meta:
        verbose_name = _("break-glass review")
        verbose_name_plural = _("break-glass reviews")
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"review of {self.access_id}"
