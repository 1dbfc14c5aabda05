"""Demo figures for `make run`: four months of work in four wijken, replayed through the real
services with the clock set back, so the anonymous figures and both charts have something to
show (docs/adr/0030). Signals, measurements, referrals and closings are fictitious; the
services run unchanged, only `django.utils.timezone.now` answers the replayed moment.
Idempotent: signals it made before are left alone.

The dates follow today (docs/adr/0049): the replay runs up to now, this month included; what
started more than RECENT ago has been worked to the end, so the queue holds today's work, not
months-old leftovers. The replay tells nobody: its events record no push and no e-mail."""

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.demo import DEMO
from accounts.models import Team, User
from backend.errors import DomainError
from initiatives import services as referrals
from initiatives.models import Initiative
from notifications.subscribers import signal_events_unheard
from outcomes.services import MeasurementInput, measurement_record
from outcomes.stats import releases
from outcomes.stats.facts import month_start
from signals import services
from signals.models import ConsentPurpose, ConsentText, Outcome, Signal, Status

NAMESPACE = uuid.UUID("0d4c3b8e-5a2f-4f51-9a0e-7f3c2d1b6e28")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHS = 4
PER_WIJK_MONTH = 15
# Signals replayed from longer ago than this are finished (closed); newer ones may be open.
RECENT = timedelta(days=21)
# (team, postcode, house numbers) in three demo wijken whose teams have members: Binnenstad,
# Overvecht, and Noordwest (Zuilen-Oost, which no buurtteam covers: the central team's).
AREAS = [
    ("Buurtteam Binnenstad", "3511AC", range(1, 21)),
    ("Buurtteam Overvecht", "3561AA", range(1, 21)),
    ("Centraal team Buurtsignaal", "3553AB", range(1, 21)),
]
GROUPS = ["elderly_at_home"] * 5 + ["migrant_elderly"] * 2 + ["young_adult"] * 3 + ["other"]
OUTCOMES = [Outcome.CONNECTED_TO_INFORMAL_NETWORK] * 8 + [Outcome.CONNECTED_TO_INITIATIVE] * 6
OUTCOMES += [Outcome.REFERRED_TO_PROFESSIONAL_CARE] * 3 + [Outcome.RESIDENT_DECLINED_HELP] * 2
OUTCOMES += [Outcome.NO_CONTACT_POSSIBLE]
EMOTIONAL = ("emptiness", "miss_people", "rejected")
SOCIAL = ("rely_on", "trust", "close_to")


@contextmanager
def clock(moment: datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def load() -> list[str]:
    signaller = User.objects.get(email="signaleerder@demo.buurtsignaal.nl")
    text = ConsentText.objects.get(version="2026-3", language="nl")
    first = month_start(timezone.now())
    for _ in range(MONTHS):
        first = month_start(first - timedelta(days=1))
    starts = []
    for _ in range(MONTHS + 1):  # the whole months and this one, up to now
        starts.append(first)
        first = month_start(first + timedelta(days=32))
    made = 0
    now = timezone.now()
    with signal_events_unheard():
        for month, start in enumerate(starts):
            for team_name, postcode, numbers in AREAS:
                team = Team.objects.get(name=team_name)
                worker = team.members.filter(is_active=True).first()
                for index in range(PER_WIJK_MONTH):
                    key = uuid.uuid5(NAMESPACE, f"{month}-{postcode}-{index}")
                    # Each signal's own dice: a rerun (a later day) replays the same history
                    # and adds only what has come due since.
                    chance = random.Random(key.int)  # noqa: S311 - a repeatable demo
                    at = start + timedelta(days=chance.randrange(25), hours=9 + chance.randrange(8))
                    if at > now - timedelta(hours=1):
                        continue  # not yet: the demo's dates follow today
                    if Signal.objects.filter(created_by=signaller, client_uuid=key).exists():
                        continue
                    _replay(chance, signaller, worker, text, key, postcode, numbers, at)
                    made += 1
    released = releases.figure_releases_create()
    return [
        f"Demo figures: {made} signals replayed over the last {MONTHS} whole months and this "
        "month up to today (no e-mails or pushes for them); "
        f"{len(released)} monthly releases made."
    ]


def _replay(chance, signaller, worker, text, key, postcode, numbers, at) -> None:
    measured = chance.random() < 0.7
    purposes = {ConsentPurpose.TEAM_CONTACT, ConsentPurpose.SHARE_WITH_INITIATIVE}
    if measured:
        purposes.add(ConsentPurpose.MEASURE_OUTCOME)
    with clock(at):
        signal = services.signal_create(
            actor=signaller,
            intake=services.IntakeInput(
                client_uuid=key,
                first_name="Demo",
                postcode=postcode,
                house_number=chance.choice(numbers),
                preferred_language="nl",
                target_group=chance.choice(GROUPS),
                urgency=chance.choice(["normal"] * 6 + ["soon"] * 3 + ["urgent"]),
                observation="Demo: fictieve bewoner voor de cijfers.",
                consent=services.IntakeConsent(
                    given_by="resident",
                    method="verbal_in_person",
                    given_at=at - timedelta(minutes=4),
                    purposes=frozenset(purposes),
                    consent_text_id=text.pk,
                    initiatives=("any",),
                ),
            ),
        ).signal
        services.signal_route(signal_id=signal.pk, actor=DEMO)
    now = timezone.now()
    acknowledged = at + timedelta(hours=chance.choice([1, 2, 3, 4, 6, 8, 20, 26, 30]))
    contacted = acknowledged + timedelta(hours=chance.choice([4, 20, 24, 48, 70]))
    closed = contacted + timedelta(days=chance.randrange(14, 60))
    baseline = chance.choice(["moderate"] * 5 + ["severe"] * 3 + ["mild"] * 2)
    if acknowledged < now:
        _step(signal, worker, Status.ACKNOWLEDGED, acknowledged)
    finished = now - at > RECENT  # older work has been seen through to the end
    if finished:
        closed = min(closed, now - timedelta(hours=chance.randrange(2, 48)))
        contacted = min(contacted, closed - timedelta(hours=1))
        acknowledged = min(acknowledged, contacted - timedelta(hours=1))
    if contacted < now and (finished or chance.random() < 0.9):
        _step(signal, worker, Status.CONTACTED, contacted)
        if measured:
            _measure(signal, worker, "baseline", _answers(chance, baseline, 0), contacted, chance)
        if closed < now and (finished or chance.random() < 0.85):
            outcome = chance.choice(OUTCOMES)
            if outcome == Outcome.CONNECTED_TO_INITIATIVE and not _refer(
                signal, worker, contacted, closed
            ):
                outcome = Outcome.CONNECTED_TO_INFORMAL_NETWORK
            if measured:
                better = chance.choice([0, 1, 1, 2, 2, 3]) if outcome in _CONNECTED else 0
                _measure(
                    signal, worker, "follow_up", _answers(chance, baseline, better), closed, chance
                )
            _step(signal, worker, Status.CLOSED, closed, outcome=outcome)


_CONNECTED = {Outcome.CONNECTED_TO_INFORMAL_NETWORK, Outcome.CONNECTED_TO_INITIATIVE}


def _step(signal: Signal, worker: User, status: str, at: datetime, outcome: str = "") -> None:
    with clock(at):
        signal.refresh_from_db()
        services.signal_transition(
            signal_id=signal.pk,
            actor=worker,
            to_status=status,
            expected_version=signal.version,
            outcome=outcome,
        )


def _measure(signal, worker, phase, answers, at, chance) -> None:
    declined = chance.random() < 0.1
    with clock(at):
        measurement_record(
            actor=worker,
            signal_id=signal.pk,
            measure=MeasurementInput(phase, declined=declined, answers={} if declined else answers),
        )


def _answers(chance: random.Random, level: str, better: int) -> dict[str, str]:
    """Answers whose total lands near the level, `better` points lower."""
    target = {"mild": 1, "moderate": 3, "severe": 5}[level] + chance.choice([-1, 0, 0, 1])
    target = max(0, min(6, target - better))
    lonely = set(chance.sample(EMOTIONAL + SOCIAL, target))
    given = {}
    for item in EMOTIONAL:
        given[item] = chance.choice(["yes", "more_or_less"]) if item in lonely else "no"
    for item in SOCIAL:
        given[item] = chance.choice(["no", "more_or_less"]) if item in lonely else "yes"
    return given


def _refer(signal: Signal, worker: User, start: datetime, end: datetime) -> bool:
    """Proposes an initiative and walks the referral to a first meeting before closing."""
    initiative = Initiative.objects.filter(is_active=True, accepting_new=True).order_by("?").first()
    if initiative is None:
        return False
    steps = ["agreed", "contacted", "meeting_planned", "meeting_happened"]
    moments = [start + (end - start) * (n + 1) / (len(steps) + 2) for n in range(len(steps) + 1)]
    try:
        with clock(moments[0]):
            referrals.referral_propose(
                actor=worker, signal_id=signal.pk, initiative_id=initiative.pk
            )
        for step, moment in zip(steps, moments[1:], strict=True):
            with clock(moment):
                referrals.referral_step(actor=worker, signal_id=signal.pk, step=step)
    except DomainError:
        return False
    return True
