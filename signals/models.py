"""Signals: a consented observation that a resident may want more connection, its routing to a
neighbourhood team and its follow-up. Every change goes through signals.services, which appends
a SignalEvent in the same transaction (docs/adr/0005-one-write-path-append-only-events.md)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import UserObjectPermissionBase

from audit.fields import EncryptedTextField
from signals.visibility import SignalQuerySet


# Labels are Dutch, translated for English pages (locale/); Dutch msgids keep the migrations
# unchanged (docs/adr/0027).
class Status(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    ROUTED = "routed", _("Toegewezen aan team")
    ACKNOWLEDGED = "acknowledged", _("Opgepakt")
    CONTACTED = "contacted", _("Contact gelegd")
    IN_FOLLOW_UP = "in_follow_up", _("In opvolging")
    CLOSED = "closed", _("Afgesloten")
    DECLINED = "declined", _("Niet opgepakt")
    FORWARDED = "forwarded", _("Doorgestuurd")
    WITHDRAWN = "withdrawn", _("Toestemming ingetrokken")


# The statuses in which a signal is a team's open work: the queue's default, and the condition
# of its index (Signal.Meta). signals.workflow names it with the rest of the workflow.
OPEN_FOR_TEAM = frozenset(
    {Status.ROUTED, Status.ACKNOWLEDGED, Status.CONTACTED, Status.IN_FOLLOW_UP}
)


class TargetGroup(models.TextChoices):
    YOUNG_ADULT = "young_adult", _("Jongvolwassene")
    MIGRANT_ELDERLY = "migrant_elderly", _("Migrantenoudere")
    ELDERLY_AT_HOME = "elderly_at_home", _("Thuiswonende oudere")
    OTHER = "other", _("Anders")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normaal")
    SOON = "soon", _("Binnenkort")
    URGENT = "urgent", _("Dringend")


class Outcome(models.TextChoices):
    # Needs evidence: a referral that reached a first meeting (providers.closing_links, ADR 26).
    CONNECTED_TO_INITIATIVE = "connected_to_initiative", _("Verbonden met een initiatief")
    CONNECTED_TO_INFORMAL_NETWORK = (
        "connected_to_informal_network",
        _("Verbonden met eigen netwerk"),
    )
    REFERRED_TO_PROFESSIONAL_CARE = "referred_to_professional_care", _("Doorverwezen naar zorg")
    RESIDENT_DECLINED_HELP = "resident_declined_help", _("Bewoner wil geen hulp")
    NO_CONTACT_POSSIBLE = "no_contact_possible", _("Geen contact mogelijk")
    OTHER = "other", _("Anders")


class ConsentPurpose(models.TextChoices):
    """What a resident consents to, purpose by purpose (AVG art. 7): the keys of
    Consent.purposes, the intake input and the registers all come from here."""

    TEAM_CONTACT = "team_contact", "Contact door het buurtteam"
    SHARE_WITH_INITIATIVE = "share_with_initiative", "Doorgeven aan lokale initiatieven"
    # Answering the De Jong Gierveld scale at first contact and follow-up (outcomes app).
    MEASURE_OUTCOME = "measure_outcome", "Meten of het helpt (eenzaamheidsschaal)"


class ReasonCode(models.Model):
    """Structured reasons; a fixed starting list (migration) that admins can extend."""

    code = models.SlugField(max_length=48, unique=True)
    label_nl = models.CharField(max_length=120)
    label_en = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code


class ConsentText(models.Model):
    """The exact text shown to the resident and the purposes it declares (ConsentPurpose
    codes): a consent covers a purpose only if its text declares it (docs/adr/0032). Immutable
    once used: a change of text or purposes is a new version."""

    version = models.CharField(max_length=32)
    language = models.CharField(max_length=8, default="nl")
    body = models.TextField()
    purposes = models.JSONField(
        default=list, help_text="the consent purposes this text says what happens for"
    )
    sha256 = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="consent_text_version")
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.language})"


class Signal(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Pseudonymous resident id for the access log and data-subject requests; never the name.
    subject_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client_uuid = models.UUIDField()
    request_fingerprint = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submitted_signals"
    )
    source_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Personal data (erased on withdrawal, erasure and retention). Text is encrypted at rest
    # (audit.fields): nothing may filter on these values; "" (erased, never given) still can.
    # The house number alone identifies no one and stays an integer.
    resident_first_name = EncryptedTextField(
        pgettext_lazy("signal field", "resident's first name"), max_length=100, blank=True
    )
    contact_phone = EncryptedTextField(
        pgettext_lazy("signal field", "phone number"), max_length=32, blank=True
    )
    contact_email = EncryptedTextField(
        pgettext_lazy("signal field", "e-mail address"), max_length=254, blank=True
    )
    postcode = EncryptedTextField(
        pgettext_lazy("signal field", "postcode"), max_length=6, blank=True
    )
    house_number = models.PositiveIntegerField(
        pgettext_lazy("signal field", "house number"), null=True, blank=True
    )
    house_number_addition = EncryptedTextField(
        pgettext_lazy("signal field", "house number addition"), max_length=8, blank=True
    )
    observation = EncryptedTextField(
        pgettext_lazy("signal field", "what the signaller noticed"), blank=True
    )
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    # AVG art. 18: while set, only the privacy officer's audit reads and rights actions proceed.
    restricted_at = models.DateTimeField(null=True, blank=True)

    # Non-personal facts, kept for anonymous figures.
    preferred_language = models.CharField(
        pgettext_lazy("signal field", "preferred language"), max_length=8, blank=True
    )
    target_group = models.CharField(
        pgettext_lazy("signal field", "target group"), max_length=24, choices=TargetGroup.choices
    )
    reasons = models.ManyToManyField(
        ReasonCode,
        verbose_name=pgettext_lazy("signal field", "reasons"),
        related_name="signals",
        blank=True,
    )
    urgency = models.CharField(
        pgettext_lazy("signal field", "urgency"),
        max_length=8,
        choices=Urgency.choices,
        default=Urgency.NORMAL,
    )
    neighbourhood = models.ForeignKey(
        "accounts.Neighbourhood",
        verbose_name=pgettext_lazy("signal field", "neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mapping_version = models.ForeignKey(
        "accounts.MappingVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Workflow.
    status = models.CharField(
        pgettext_lazy("signal field", "status"),
        max_length=16,
        choices=Status.choices,
        default=Status.RECEIVED,
    )
    version = models.PositiveIntegerField(default=1)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="signals"
    )
    forward_to_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_signals",
    )
    routing_rule = models.ForeignKey(
        "signals.RoutingRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(
        pgettext_lazy("signal field", "outcome"), max_length=32, choices=Outcome.choices, blank=True
    )
    acknowledge_due_at = models.DateTimeField(null=True, blank=True)
    first_contact_due_at = models.DateTimeField(null=True, blank=True)
    # The deadline that matters in the current status, never empty: routing (due at once on
    # intake), acknowledgement, first contact, the next follow-up review, or the moment it
    # ended. The queue orders and pages by it (docs/adr/0005).
    due_at = models.DateTimeField(default=timezone.now)
    escalated_at = models.DateTimeField(null=True, blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        pgettext_lazy("signal field", "date closed"), null=True, blank=True
    )
    created_at = models.DateTimeField(
        pgettext_lazy("signal field", "date received"), auto_now_add=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_uuid"], name="signal_client_uuid_per_user"
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status", "due_at"]),
            models.Index(fields=["status", "updated_at"]),
            # A team's queue in page order: its open, unrestricted work by (due_at, id), so a
            # page reads 50 index entries however large the table (docs/adr/0029).
            models.Index(
                fields=["team", "due_at", "id"],
                name="signal_team_queue",
                condition=models.Q(status__in=sorted(OPEN_FOR_TEAM), restricted_at__isnull=True),
            ),
        ]
        permissions = [("break_glass_signal", "Can open a signal outside own team with reason")]

    def __str__(self) -> str:
        return f"signal {self.pk}"


class Consent(models.Model):
    """Demonstrable consent (AVG art. 7). Immutable: withdrawal is a ConsentWithdrawal row."""

    class GivenBy(models.TextChoices):
        RESIDENT = "resident", "Bewoner"
        REPRESENTATIVE = "representative", "Vertegenwoordiger"

    class Method(models.TextChoices):
        VERBAL_IN_PERSON = "verbal_in_person", "Mondeling, persoonlijk"
        SIGNED_ON_DEVICE = "signed_on_device", "Getekend op het apparaat"
        ON_PAPER = "on_paper", "Op papier"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="consent")
    given_by = models.CharField(max_length=16, choices=GivenBy.choices)
    representative_relation = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(max_length=20, choices=Method.choices)
    purposes = models.JSONField(help_text="purpose code -> granted (bool)")
    # `neighbourhood_team`, `initiative:<catalogue id>` or `initiative:any` (docs/adr/0032).
    recipients = models.JSONField(default=list, help_text="recipients the consent covers")
    # Free-text names recorded before recipients were catalogue ids that matched no single
    # entry exactly: kept as evidence, covering no one; the privacy officer lists them.
    unresolved_recipients = models.JSONField(default=list, blank=True)
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    consent_text_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"consent {self.pk}"


class ConsentWithdrawal(models.Model):
    consent = models.OneToOneField(Consent, on_delete=models.CASCADE, related_name="withdrawal")
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Free text on the resident's word: encrypted like the notes.
    reason = EncryptedTextField(max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent withdrawal")
        verbose_name_plural = _("consent withdrawals")

    def __str__(self) -> str:
        return f"withdrawal of {self.consent_id}"


class SignalEvent(models.Model):
    """Append-only history: a database trigger refuses UPDATE and DELETE (migration 0007), and
    a signal with events cannot be deleted. Holds no personal values, so erasure leaves it."""

    class Type(models.TextChoices):
        CREATED = "created"
        ROUTED = "routed"
        ROUTING_FAILED = "routing_failed"
        TRANSITIONED = "transitioned"
        FORWARDED = "forwarded"
        ASSIGNED = "assigned"
        ESCALATED = "escalated"
        NOTE_ADDED = "note_added"
        CONSENT_WITHDRAWN = "consent_withdrawn"
        PERSONAL_DATA_ERASED = "personal_data_erased"
        RESTRICTED = "restricted"
        RESTRICTION_LIFTED = "restriction_lifted"
        # A step of a referral to an initiative (initiatives.Referral): data names the
        # referral, the initiative and the step (docs/adr/0026).
        REFERRAL = "referral"

    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(max_length=24, choices=Type.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    # Free text lives in SignalNote, which erasure can blank; the event row itself never changes.
    note = models.ForeignKey(
        "signals.SignalNote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Non-personal facts only: team ids, outcome and reason codes, rule ids.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signal event")
        verbose_name_plural = _("signal events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["signal", "created_at"])]

    def __str__(self) -> str:
        return f"{self.type} {self.from_status}->{self.to_status}"


class SignalNote(models.Model):
    """Append-only team notes. A correction is a new note that refers to the old one. The one
    change ever made to a note is erasure of its body (withdrawal, AVG art. 17, retention)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField()
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signal note")
        verbose_name_plural = _("signal notes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note {self.pk}"


class RoutingRule(models.Model):
    """Overrides buurt coverage. Active rules are tried by position; the first match wins. An
    empty condition matches anything."""

    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=100)
    is_active = models.BooleanField(default=True)
    target_group = models.CharField(max_length=24, choices=TargetGroup.choices, blank=True)
    language = models.CharField(max_length=8, blank=True)
    reason = models.ForeignKey(ReasonCode, null=True, blank=True, on_delete=models.PROTECT)
    urgency = models.CharField(max_length=8, choices=Urgency.choices, blank=True)
    municipality_code = models.CharField(
        max_length=6, blank=True, help_text="limit to one gemeente (GM....)"
    )
    wijk_code = models.CharField(max_length=8, blank=True, help_text="limit to one wijk (WK...)")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class DeadlinePolicy(models.Model):
    """Acknowledgement and first-contact deadlines per urgency."""

    urgency = models.CharField(max_length=8, choices=Urgency.choices, unique=True)
    acknowledge_within_hours = models.PositiveIntegerField()
    first_contact_within_hours = models.PositiveIntegerField()
    working_hours = models.BooleanField(
        default=True, help_text="count Mon-Fri 09:00-17:00 Europe/Amsterdam hours only"
    )

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        return self.urgency


class SignalUserObjectPermission(UserObjectPermissionBase):
    """Per-object shares and break-glass grants (django-guardian, direct foreign key).

    A standing share has no expiry; a break-glass grant expires, and `visible_to` ignores it
    from that moment on (docs/adr/0014-access-logging-and-break-glass.md)."""

    content_object = models.ForeignKey(Signal, on_delete=models.CASCADE)
    expires_at = models.DateTimeField(null=True, blank=True)


class BreakGlassAccess(models.Model):
    """One opening of a signal outside the opener's teams, with the typed reason: the register
    the privacy officer reviews. Never changed; the live grant is the object permission."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="break_glass")
    # The staff member's justification; may mention the resident, so encrypted like notes.
    reason = EncryptedTextField(max_length=500)
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["user", "signal", "expires_at"])]
        verbose_name_plural = "break-glass accesses"

    def __str__(self) -> str:
        return f"break-glass {self.pk}"
