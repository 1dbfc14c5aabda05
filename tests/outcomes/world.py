"""Signals for the figures, made through the real services at chosen moments (time-machine):
an area is a wijk with one buurt, its team and a worker; `signal_in` submits, routes and walks
one signal, with its measurements."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import time_machine

from accounts.actors import SYSTEM
from accounts.models import AddressPoint, Team, User
from outcomes.services import MeasurementInput, measurement_record
from signals import services
from signals.models import ConsentPurpose, Signal, Status
from tests.factories import (
    MappingVersionFactory,
    NeighbourhoodFactory,
    TeamFactory,
    cover,
    member_of,
)
from tests.signals.factories import intake_input

MEASURED = frozenset({ConsentPurpose.TEAM_CONTACT, ConsentPurpose.MEASURE_OUTCOME})


@dataclass(frozen=True)
class Area:
    wijk: str
    postcode: str
    team: Team
    worker: User


def area(name: str, wijk: str, postcode: str) -> Area:
    version = MappingVersionFactory()
    buurt = NeighbourhoodFactory(
        code=f"BU{wijk[2:]}10", wijk_code=wijk, wijk_name=name, mapping_version=version
    )
    AddressPoint.objects.bulk_create(
        AddressPoint(
            mapping_version=version, postcode=postcode, house_number=n, neighbourhood=buurt
        )
        for n in range(1, 50)
    )
    team = TeamFactory(name=f"Buurtteam {name}")
    cover(team, buurt)
    return Area(wijk=wijk, postcode=postcode, team=team, worker=member_of(team))


def signal_in(
    place: Area,
    at: datetime,
    *,
    signaller: User,
    target_group: str = "elderly_at_home",
    urgency: str = "normal",
    steps: tuple[tuple[str, float], ...] = (),
    outcome: str = "",
    baseline: dict[str, str] | None = None,
    follow_up: dict[str, str] | None = None,
) -> Signal:
    """A signal submitted at `at`, routed at once, then each (status, hours after `at`) step;
    `baseline` answers are recorded with the first step, `follow_up` with the last."""
    consent = {"purposes": MEASURED, "given_at": at - timedelta(minutes=3)}
    with time_machine.travel(at, tick=False):
        signal = services.signal_create(
            actor=signaller,
            intake=intake_input(
                address={"postcode": place.postcode, "house_number": 3},
                target_group=target_group,
                urgency=urgency,
                consent=consent,
            ),
        ).signal
        services.signal_route(signal_id=signal.pk, actor=SYSTEM)
    for number, (status, hours) in enumerate(steps):
        with time_machine.travel(at + timedelta(hours=hours), tick=False):
            signal.refresh_from_db()
            services.signal_transition(
                signal_id=signal.pk,
                actor=place.worker,
                to_status=status,
                expected_version=signal.version,
                outcome=outcome if status == Status.CLOSED else "",
            )
            if number == 0 and baseline is not None:
                _measure(place, signal, "baseline", baseline)
            if number == len(steps) - 1 and follow_up is not None:
                _measure(place, signal, "follow_up", follow_up)
    signal.refresh_from_db()
    return signal


def _measure(place: Area, signal: Signal, phase: str, answers: dict[str, str]) -> None:
    measurement_record(
        actor=place.worker, signal_id=signal.pk, measure=MeasurementInput(phase, answers=answers)
    )


def answers(emotional: tuple[str, str, str], social: tuple[str, str, str]) -> dict[str, str]:
    items = ("emptiness", "miss_people", "rejected", "rely_on", "trust", "close_to")
    return dict(zip(items, (*emotional, *social), strict=True))
