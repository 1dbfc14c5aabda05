"""Outcome measurement: an instrument (the De Jong Gierveld 6-item scale, or any other) held as
data, versioned like consent texts, and the measurements a team records with it
(docs/adr/0030). A measurement's answers are special-category data (AVG art. 9): encrypted,
access-logged, in the Art. 15 export and erased with the signal's other personal data."""

import uuid

from django.conf import settings
from django.db import models

from audit.fields import EncryptedTextField


class Instrument(models.Model):
    """One version of a questionnaire. Immutable once used: a change is a new version."""

    code = models.SlugField(max_length=32)
    version = models.CharField(max_length=32)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    source = models.TextField(help_text="where the items, wording and scoring come from")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version")
        ]
        permissions = [("view_statistics", "Can read the anonymous figures (suppressed)")]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"


class Subscale(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="subscales")
    code = models.SlugField(max_length=32)
    position = models.PositiveSmallIntegerField()
    label_nl = models.CharField(max_length=120)
    label_en = models.CharField(max_length=120)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="subscale_code")]

    def __str__(self) -> str:
        return self.code


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    subscale = models.ForeignKey(Subscale, on_delete=models.PROTECT, related_name="items")
    code = models.SlugField(max_length=32)
    position = models.PositiveSmallIntegerField()
    text_nl = models.TextField()
    text_en = models.TextField()

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="item_code")]

    def __str__(self) -> str:
        return self.code


class AnswerOption(models.Model):
    """One answer an item offers, with the points the manual gives it on that item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(max_length=32)
    position = models.PositiveSmallIntegerField()
    label_nl = models.CharField(max_length=120)
    label_en = models.CharField(max_length=120)
    points = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["item", "position"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="option_code")]

    def __str__(self) -> str:
        return f"{self.item.code}:{self.code}"


class ScoreBand(models.Model):
    """A named range of the total score (both ends included), e.g. 2-4 moderately lonely."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="bands")
    code = models.SlugField(max_length=32)
    low = models.PositiveSmallIntegerField()
    high = models.PositiveSmallIntegerField()
    label_nl = models.CharField(max_length=120)
    label_en = models.CharField(max_length=120)

    class Meta:
        ordering = ["instrument", "low"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="band_code")]

    def __str__(self) -> str:
        return self.code


class Phase(models.TextChoices):
    BASELINE = "baseline", "Bij het eerste contact"
    FOLLOW_UP = "follow_up", "Vervolgmeting"


class Measurement(models.Model):
    """One phase of one signal's measurement: the answers, or that the resident declined.

    `answers` is JSON `{item code: option code}` for the items answered, encrypted at rest;
    erasure blanks it and sets `erased_at`. The phase, the dates and whether it was declined
    stay: they say nothing about the resident's answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.PROTECT, related_name="measurements"
    )
    phase = models.CharField(max_length=16, choices=Phase.choices)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    declined = models.BooleanField(default=False)
    answers = EncryptedTextField(blank=True)
    language = models.CharField(max_length=8, default="nl", help_text="the wording asked in")
    taken_at = models.DateTimeField(help_text="when the resident answered or declined")
    # Baseline only: when the follow-up is due (default three months after the baseline).
    follow_up_due_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["signal", "taken_at"]
        constraints = [
            models.UniqueConstraint(fields=["signal", "phase"], name="one_measurement_per_phase")
        ]
        indexes = [models.Index(fields=["phase", "follow_up_due_at"])]

    def __str__(self) -> str:
        return f"{self.phase} measurement {self.pk}"


class FigureRelease(models.Model):
    """The figures of one calendar month, computed once after it ended and served as stored
    (docs/adr/0031): every view the API offers (no filter, each wijk, each target group), with
    its suppression applied. Counts only the signals submitted in its own month, so no cell of
    one release is a cell, a part or a sum of another's. Never changed: a signal changed after
    the release shows in no later one."""

    period = models.DateField(unique=True, help_text="the month's first day")
    threshold = models.PositiveSmallIntegerField()
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    figures = models.JSONField(help_text="the published views, suppressed counts as null")
    hidden = models.PositiveIntegerField(help_text="how many published cells are suppressed")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"figures {self.period:%Y-%m}"
