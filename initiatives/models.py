"""The initiatives catalogue (sociale kaart) and referrals of signals to initiatives.

An initiative holds no personal data: its contact route is the initiative's own. A referral is
a signal's handover to one initiative; every step of it is also a SignalEvent written through
the signal's one write path (initiatives.services, docs/adr/0026)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from signals.models import ReasonCode


class ActivityKind(models.TextChoices):
    MEETING_PLACE = "meeting_place", "Ontmoetingsplek"
    BUDDY = "buddy", "Maatje"
    OUTING = "outing", "Uitjes"
    SPORT_AND_MOVEMENT = "sport_and_movement", "Sport en bewegen"
    LANGUAGE = "language", "Taal"
    CULTURE = "culture", "Cultuur"
    PRACTICAL_HELP = "practical_help", "Praktische hulp"
    GRIEF = "grief", "Rouw"
    MUSIC_AND_DANCE = "music_and_dance", "Muziek en dans"
    ANIMALS = "animals", "Dieren"
    MEALS = "meals", "Maaltijden"
    ATTENTION_AND_TOUCH = "attention_and_touch", "Aandacht en aanraking"
    WALK_IN = "walk_in", "Inloop"
    CONVERSATION = "conversation", "Gesprek en lotgenoten"


class Cost(models.TextChoices):
    FREE = "free", "Gratis"
    LOW = "low", "Kleine bijdrage"
    PAID = "paid", "Betaald"


class Initiative(models.Model):
    """One local initiative. Lists of codes are JSON lists (kinds, target groups of
    signals.TargetGroup, languages as ISO 639-1, CBS buurt and wijk codes): the catalogue is
    small and read far more than written (docs/adr/0026)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="stable key; the CSV import matches on it"
    )
    name = models.CharField(max_length=160)
    organisation = models.CharField(max_length=160, blank=True)
    description_nl = models.TextField(help_text="in our own words, Dutch")
    description_en = models.TextField(blank=True, help_text="in our own words, English")
    kinds = models.JSONField(default=list, blank=True)
    target_groups = models.JSONField(default=list, blank=True)
    reasons = models.ManyToManyField(ReasonCode, blank=True, related_name="+")
    citywide = models.BooleanField(default=False, help_text="serves the whole municipality")
    buurt_codes = models.JSONField(default=list, blank=True, help_text="BU + 8 digits")
    wijk_codes = models.JSONField(default=list, blank=True, help_text="WK + 6 digits")
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1, e.g. nl, ar")
    step_free = models.BooleanField(default=False)
    transport_offered = models.BooleanField(default=False)
    cost = models.CharField(max_length=8, choices=Cost.choices, default=Cost.FREE)
    contact_route = models.TextField(
        help_text="how a team reaches the initiative (its own phone, e-mail or web form); "
        "never a resident's details"
    )
    accepting_new = models.BooleanField(default=True, help_text="takes new participants")
    is_active = models.BooleanField(default=True)
    last_verified_on = models.DateField(help_text="when someone last checked this entry")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["is_active", "name"])]
        # The full-text GIN index lives in migration 0002, PostgreSQL only.

    def __str__(self) -> str:
        return self.name


class ReferralStep(models.TextChoices):
    PROPOSED = "proposed", _("Voorgesteld aan de bewoner")
    AGREED = "agreed", _("Bewoner stemt in")
    CONTACTED = "contacted", _("Initiatief benaderd")
    MEETING_PLANNED = "meeting_planned", _("Eerste ontmoeting gepland")
    MEETING_HAPPENED = "meeting_happened", _("Eerste ontmoeting heeft plaatsgevonden")
    STUCK = "stuck", _("Loopt vast")
    DECLINED_BY_RESIDENT = "declined_by_resident", _("Bewoner ziet ervan af")
    DECLINED_BY_INITIATIVE = "declined_by_initiative", _("Initiatief kan niet")
    # Consent withdrawn or the signal closed: the `referral` event's data says which.
    STOPPED = "stopped", _("Gestopt")


class Referral(models.Model):
    """A signal's handover to one initiative. Holds ids, the step and dates only: a reason
    given for `stuck` or a decline is a SignalNote (erased with the others)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    signal = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="referrals")
    step = models.CharField(max_length=24, choices=ReferralStep.choices)
    follow_up_on = models.DateField(null=True, blank=True)
    contact_shared_at = models.DateTimeField(null=True, blank=True)
    first_meeting_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signal"],
                condition=Q(ended_at__isnull=True),
                name="one_active_referral_per_signal",
            )
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
