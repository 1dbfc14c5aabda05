"""The access log (NEN 7513): who touched whose personal data, when, how and on what grounds.

Rows are append-only (database triggers, privacy migration 0002, which created the table before
it moved to this app: docs/adr/0020; audit migration 0002 lets exactly the sealing update
through) and hash-chained (audit.chain), so an edited, deleted or reordered row is detectable
with `manage.py verify_access_log`. A request writes its row without the chain columns; the
sealer (audit.sealing) numbers and chains committed rows in order afterwards (docs/adr/0025). A
row never holds personal values: only pseudonymous ids, field names and codes
(docs/adr/0011-access-log.md)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Action(models.TextChoices):
    READ = "read", pgettext_lazy("access log", "Viewed")
    LIST = "list", pgettext_lazy("access log", "Viewed in a list")
    SEARCH = "search", pgettext_lazy("access log", "Searched")
    EXPORT = "export", pgettext_lazy("access log", "Exported")
    CREATE = "create", pgettext_lazy("access log", "Created")
    UPDATE = "update", pgettext_lazy("access log", "Changed")
    DELETE = "delete", pgettext_lazy("access log", "Deleted")
    CONSENT_CHANGE = "consent_change", pgettext_lazy("access log", "Consent changed")
    LOGIN = "login", pgettext_lazy("access log", "Signed in")
    LOGIN_FAILED = "login_failed", pgettext_lazy("access log", "Sign-in failed")
    MFA_ENROL = "mfa_enrol", pgettext_lazy("access log", "Second factor linked")
    # Account changes (docs/adr/0016): object_type accounts.user, object_id the target user.
    MEMBERSHIP_CHANGE = "membership_change", pgettext_lazy("access log", "Team membership changed")
    ROLE_CHANGE = "role_change", pgettext_lazy("access log", "Role changed")
    CREDENTIAL_CHANGE = "credential_change", pgettext_lazy("access log", "Sign-in details changed")
    MFA_CHANGE = "mfa_change", pgettext_lazy("access log", "Second factor changed")
    ACCESS_DENIED = "access_denied", pgettext_lazy("access log", "Access refused")
    AUDIT_READ = "audit_read", pgettext_lazy("access log", "Access log viewed")


class AccessOutcome(models.TextChoices):
    """How an access ended (not a signal's outcome, signals.models.Outcome)."""

    SUCCESS = "success", pgettext_lazy("access log", "Succeeded")
    DENIED = "denied", pgettext_lazy("access log", "Refused")
    FAILED = "failed", pgettext_lazy("access log", "Failed")


class Purpose(models.TextChoices):
    """Grounds: why the data was touched. Phase 2 adds the signal-handling purposes."""

    AUTHENTICATION = "authentication", pgettext_lazy("access log", "Sign-in and security")
    SIGNAL_HANDLING = "signal_handling", pgettext_lazy("access log", "Following up a signal")
    AUDIT = "audit", pgettext_lazy("access log", "Oversight of access")
    DATA_SUBJECT_REQUEST = (
        "data_subject_request",
        pgettext_lazy("access log", "Request of the person concerned"),
    )
    RETENTION = "retention", pgettext_lazy("access log", "Retention period")


class AccessLog(models.Model):
    event_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Assigned when the row is sealed, under the chain lock: 1, 2, 3, ... without gaps, so a gap
    # means a deleted row. NULL, with both hashes, until then.
    sequence = models.BigIntegerField(unique=True, null=True, editable=False)
    occurred_at = models.DateTimeField(help_text="UTC")
    action = models.CharField(max_length=32, choices=Action.choices)
    outcome = models.CharField(max_length=16, choices=AccessOutcome.choices)

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

    # NULL, not "": unsealed is not a value, and the append-only trigger lets exactly the
    # NULL-to-value sealing update through (audit migration 0002).
    previous_hash = models.CharField(max_length=64, null=True, editable=False)  # noqa: DJ001
    row_hash = models.CharField(max_length=64, null=True, editable=False)  # noqa: DJ001

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        # The table keeps the name it had in the privacy app: rows, chain and triggers stay.
        db_table = "privacy_accesslog"
        # Written order, sealed or not; the chain order is `sequence` (audit.verify walks it).
        ordering = ["-occurred_at", "-event_id"]
        indexes = [
            models.Index(fields=["subject_id", "-occurred_at"], name="accesslog_subject_time_idx"),
            models.Index(fields=["actor_id", "-occurred_at"], name="accesslog_actor_time_idx"),
            models.Index(fields=["occurred_at"], name="accesslog_time_idx"),
            # What the sealer looks for; small, since rows are sealed within seconds.
            models.Index(
                fields=["occurred_at", "event_id"],
                condition=models.Q(row_hash__isnull=True),
                name="accesslog_unsealed_idx",
            ),
        ]
        default_permissions = ()  # read through the audit API only; nobody adds or changes rows

    def __str__(self) -> str:
        return f"#{self.sequence or 'unsealed'} {self.action} {self.outcome}"


class AccessLogSubject(models.Model):
    """A resident named by an access-log row that is about several at once (a queue page, my
    signals, a break-glass review), whose `details.subject_ids` list them: one row per resident,
    written with the access-log row (audit.services), so the privacy officer's search by
    resident and the Art. 15 export read an index instead of matching text in `details`
    (docs/adr/0047). Derived from the hashed `details`: the verifier checks that both agree.
    Rows about one resident carry it in AccessLog.subject_id and have no rows here."""

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(
        help_text="The AccessLog row (a plain id, as everywhere in the log)."
    )
    subject_id = models.UUIDField()

    class Meta:
        verbose_name = _("access log subject")
        verbose_name_plural = _("access log subjects")
        default_permissions = ()
        constraints = [
            # Also the verifier's index: a page of the chain finds its rows by event_id.
            models.UniqueConstraint(
                fields=["event_id", "subject_id"], name="accesslogsubject_event_subject_uniq"
            ),
        ]
        indexes = [
            models.Index(fields=["subject_id", "event_id"], name="accesslogsubject_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.subject_id}"
