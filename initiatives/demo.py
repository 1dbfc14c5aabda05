"""Demo catalogue (the initiatives named at the Utrecht Omarmt meeting of 23 May 2023, in our
own words) and referrals: one that reached a first meeting, closed as connected, and one
still open with a follow-up date. For `make run` only."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from initiatives import services
from initiatives.catalogue_import import import_catalogue
from initiatives.models import Initiative, Referral, ReferralStep
from signals import services as signal_services
from signals.models import Outcome, Signal, Status

DEMO_CATALOGUE = Path(__file__).parent / "demo_data" / "utrecht-omarmt-2023.csv"
# (demo resident, initiative slug, steps after proposing; "close" closes as connected)
REFERRALS = [
    ("Eef", "domstad-plusbus", ["agreed", "contacted", "meeting_planned", "meeting_happened"]),
    ("Chen", "taal-doet-meer", ["agreed"]),
]


def load() -> list[str]:
    with DEMO_CATALOGUE.open(encoding="utf-8", newline="") as stream:
        result = import_catalogue(stream)
    made = sum(_referral(name, slug, steps) for name, slug, steps in REFERRALS)
    return [
        f"Demo initiatives: {result.created} added, {result.updated} updated "
        f"({Initiative.objects.count()} in total); demo referrals: {made} added."
    ]


def _signal_of(first_name: str) -> Signal | None:
    for signal in Signal.objects.filter(status__in=services.REFERABLE).select_related("team"):
        if signal.resident_first_name == first_name:  # encrypted: compared in Python
            return signal
    return None


def _referral(first_name: str, slug: str, steps: list[str]) -> int:
    signal = _signal_of(first_name)
    if signal is None or signal.team is None or Referral.objects.filter(signal=signal).exists():
        return 0
    worker = signal.team.members.first()
    if worker is None:
        return 0
    initiative = Initiative.objects.get(slug=slug)
    follow_up = timezone.localdate() + timedelta(days=7)
    services.referral_propose(
        actor=worker, signal_id=signal.pk, initiative_id=initiative.pk, follow_up_on=follow_up
    )
    for step in steps:
        services.referral_step(actor=worker, signal_id=signal.pk, step=step, follow_up_on=follow_up)
    if steps[-1] == ReferralStep.MEETING_HAPPENED:
        signal.refresh_from_db()
        signal_services.signal_transition(
            signal_id=signal.pk,
            actor=worker,
            to_status=Status.CLOSED,
            expected_version=signal.version,
            outcome=Outcome.CONNECTED_TO_INITIATIVE,
        )
    return 1
