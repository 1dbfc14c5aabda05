"""The access log (NEN 7513): who touched whose personal data, when, how and on what grounds.

Rows are append-only (database triggers, migration 0002) and hash-chained (privacy.chain), so an
edited, deleted or reordered row is detectable with `manage.py verify_access_log`. A row never
holds personal values: only pseudonymous ids, field names and codes
(docs/adr/0011-access-log.md)."""

import uuid

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    READ = "read", "Inzien"
    LIST = "list", "Lijst inzien"
    SEARCH = "search", "Zoeken"
    EXPORT = "export", "Exporteren"
    CREATE = "create", "Aanmaken"
    UPDATE = "update", "Wijzigen"
    DELETE = "delete", "Verwijderen"
    CONSENT_CHANGE = "consent_change", "Toestemming gewijzigd"
    LOGIN = "login", "Ingelogd"
    LOGIN_FAILED = "login_failed", "Inloggen mislukt"
    MFA_ENROL = "mfa_enrol", "Tweede factor gekoppeld"
    # Account changes (docs/adr/0016): object_type accounts.user, object_id the target user.
    MEMBERSHIP_CHANGE = "membership_change", "Teamlidmaatschap gewijzigd"
    ROLE_CHANGE = "role_change", "Rol gewijzigd"
    CREDENTIAL_CHANGE = "credential_change", "Inloggegevens gewijzigd"
    MFA_CHANGE = "mfa_change", "Tweede factor gewijzigd"
    ACCESS_DENIED = "access_denied", "Toegang geweigerd"
    AUDIT_READ = "audit_read", "Toegangslog ingezien"


class Outcome(models.TextChoices):
    SUCCESS = "success", "Gelukt"
    DENIED = "denied", "Geweigerd"
    FAILED = "failed", "Mislukt"


class Purpose(models.TextChoices):
    """Grounds: why the data was touched. Phase 2 adds the signal-handling purposes."""

    AUTHENTICATION = "authentication", "Inloggen en beveiliging"
    SIGNAL_HANDLING = "signal_handling", "Opvolgen van een signaal"
    AUDIT = "audit", "Toezicht op toegang"
    DATA_SUBJECT_REQUEST = "data_subject_request", "Verzoek van betrokkene"
    RETENTION = "retention", "Bewaartermijn"


class AccessLog(models.Model):
    event_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Assigned under the chain lock: 1, 2, 3, ... without gaps, so a gap means a deleted row.
    sequence = models.BigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(help_text="UTC")
    action = models.CharField(max_length=32, choices=Action.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)

    # Who. Plain ids, no foreign keys: deleting a user or organisation never rewrites the log.
    actor_id = models.UUIDField(null=True, blank=True)
    actor_roles = models.JSONField(default=list, blank=True)
    actor_organisation_id = models.UUIDField(null=True, blank=True)
    client_address = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)

    # Whose data and what: a pseudonymous subject id, never a name; field names, never values.
    subject_id = models.UUIDField(null=True, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    fields_touched = models.JSONField(default=list, blank=True)

    # On what grounds.
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    authorisation_rule = models.CharField(max_length=128, blank=True)
    consent_id = models.CharField(max_length=64, blank=True)

    request_id = models.CharField(max_length=64, blank=True)
    # Small non-personal context: the filter of an audit read, the view of a denial.
    details = models.JSONField(default=dict, blank=True)

    previous_hash = models.CharField(max_length=64, editable=False)
    row_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["subject_id", "-sequence"], name="accesslog_subject_idx"),
            models.Index(fields=["actor_id", "-sequence"], name="accesslog_actor_idx"),
            models.Index(fields=["occurred_at"], name="accesslog_time_idx"),
        ]
        default_permissions = ()  # read through the audit API only; nobody adds or changes rows

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.outcome}"


# --- Data-subject requests and retention (AVG art. 12, 15, 17, 18; docs/adr/0013) -----------


class SubjectRequest(models.Model):
    """A request from a resident about their data, tracked until it is answered. Due one
    calendar month after receipt (AVG art. 12(3)). Refers to the resident by the pseudonymous
    subject id only."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Inzage (art. 15)"
        ERASURE = "erasure", "Wissen (art. 17)"
        RESTRICTION = "restriction", "Beperking (art. 18)"
        RESTRICTION_LIFT = "restriction_lift", "Beperking opheffen (art. 18(3))"
        OBJECTION = "objection", "Bezwaar (art. 21)"
        OTHER = "other", "Anders"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Afgehandeld"
        REFUSED = "refused", "Geweigerd"

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", "Persoonlijk"
        LETTER = "letter", "Brief"
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Telefoon"
        VIA_TEAM = "via_team", "Via het buurtteam of de signaleerder"
        OTHER = "other", "Anders"

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
        ordering = ["status"]
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"{self.status}: {self.erase_after_days} days"
