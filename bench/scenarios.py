"""The benchmark scenarios. Each returns a Result with its own baseline from the same run."""

import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.run import Result, peak_memory_kib, timed

ALL: list[Callable[[int], Result]] = []


def scenario(func: Callable[[int], Result]) -> Callable[[int], Result]:
    ALL.append(func)
    return func


def _world() -> dict[str, Any]:
    """Teams, a covered buurt, one user per role; made once per run."""
    from accounts.membership_services import team_membership_set, user_create
    from accounts.models import AddressPoint, MappingVersion, Neighbourhood, Organisation, Team
    from audit.context import AccessContext

    system = {"actor": None, "context": AccessContext.system(role="bench")}

    if hasattr(_world, "cache"):
        return _world.cache  # type: ignore[attr-defined]
    org = Organisation.objects.create(name="Bench", kind="buurtteam")
    version = MappingVersion.objects.create(label="bench", is_active=True)
    buurt = Neighbourhood.objects.create(
        code="BU03440610", wijk_code="WK034406", municipality_code="GM0344", mapping_version=version
    )
    AddressPoint.objects.bulk_create(
        AddressPoint(
            mapping_version=version, postcode="3511AB", house_number=n, neighbourhood=buurt
        )
        for n in range(1, 101)
    )
    team = Team.objects.create(name="Bench team", organisation=org)
    Team.objects.create(name="Bench central", organisation=org, is_central=True)
    team.coverage.create(neighbourhood=buurt)
    signaller = user_create(
        email="fw@bench.test", roles=["field_worker"], organisation=org, **system
    )
    member = user_create(email="member@bench.test", organisation=org, **system)
    team_membership_set(team=team, user=member, role="member", **system)
    _world.cache = {"team": team, "signaller": signaller, "member": member}  # type: ignore[attr-defined]
    return _world.cache  # type: ignore[attr-defined]


def _client(user: Any) -> Any:
    from rest_framework.test import APIClient

    from accounts.services import login_session_open

    client = APIClient()
    pair = login_session_open(user=user, amr=["pwd", "otp"])  # as after a verified login
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    return client


def _payload() -> dict[str, Any]:
    from tests.signals.factories import intake_payload

    body = intake_payload()
    body["client_uuid"] = str(uuid.uuid4())
    return body


def _make_signals(count: int, *, team: Any, member: Any) -> None:
    from signals import services
    from tests.signals.factories import service_data

    signaller = _world()["signaller"]
    for _ in range(count):
        signal = services.signal_create(user=signaller, data=service_data()).signal
        services.signal_route(signal_id=signal.pk)


@scenario
def intake(rounds: int) -> Result:
    """POST /api/v1/signals against an authenticated GET /api/v1/me (auth + framework cost)."""
    world = _world()
    client = _client(world["signaller"])
    baseline = timed(lambda: client.get("/api/v1/me"), rounds=rounds)

    def post() -> None:
        response = client.post("/api/v1/signals", _payload(), format="json")
        assert response.status_code == 201, response.content

    median = timed(post, rounds=rounds)
    return Result("intake POST /signals", "GET /me", median, baseline, median / baseline, 6.0)


@scenario
def routing(rounds: int) -> Result:
    """signal_route on a fresh signal against one locked single-row update (the floor)."""
    from django.db import transaction

    from signals import services
    from signals.models import Signal
    from tests.signals.factories import service_data

    world = _world()
    pending = [
        services.signal_create(user=world["signaller"], data=service_data()).signal.pk
        for _ in range(rounds + 4)
    ]
    spare = pending[0]

    def floor() -> None:
        with transaction.atomic():
            signal = Signal.objects.select_for_update().get(pk=spare)
            Signal.objects.filter(pk=signal.pk).update(version=signal.version)

    baseline = timed(floor, rounds=rounds)
    queue = iter(pending[1:])
    median = timed(lambda: services.signal_route(signal_id=next(queue)), rounds=rounds)
    return Result(
        "routing one signal", "locked single-row update", median, baseline, median / baseline, 15.0
    )


@scenario
def queue_page(rounds: int) -> Result:
    """GET /queue with 50 rows against the same with 1 row: the page must not grow with rows."""
    from accounts.membership_services import team_membership_set, user_create
    from accounts.models import Team
    from audit.context import AccessContext

    system = {"actor": None, "context": AccessContext.system(role="bench")}

    world = _world()
    org = world["team"].organisation
    small_team = Team.objects.create(name="Bench small", organisation=org)
    small_member = user_create(email="small@bench.test", organisation=org, **system)
    team_membership_set(team=small_team, user=small_member, role="member", **system)
    _make_signals(60, team=world["team"], member=world["member"])
    from signals.models import Signal

    moved = Signal.objects.filter(team=world["team"]).values_list("pk", flat=True)[:1]
    Signal.objects.filter(pk__in=list(moved)).update(team=small_team)

    big, small = _client(world["member"]), _client(small_member)
    baseline = timed(lambda: small.get("/api/v1/queue?page_size=50"), rounds=rounds)
    median = timed(lambda: big.get("/api/v1/queue?page_size=50"), rounds=rounds)
    peak = peak_memory_kib(lambda: big.get("/api/v1/queue?page_size=50"))
    return Result(
        "queue page of 50",
        "queue page of 1",
        median,
        baseline,
        median / baseline,
        4.0,
        peak_kib=peak,
    )


@contextmanager
def _unlogged(request: Any, **kwargs: Any) -> Iterator[Any]:
    """signals.api.access_log.logged without its row: no actor context, transaction, chain
    lock, head lookup, insert or commit. Everything else in the view stays the same."""
    from signals.api.access_log import LogEntry

    yield LogEntry()


def _timed_pair(
    first: Callable[[], object], second: Callable[[], object], *, rounds: int, warmup: int = 5
) -> tuple[float, float]:
    """Medians (ms) of two calls timed alternately, so drift hits both alike."""
    for _ in range(warmup):
        first()
        second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for func, bucket in ((first, samples[0]), (second, samples[1])):
            start = time.perf_counter()
            func()
            bucket.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[0]), statistics.median(samples[1])


@scenario
def detail_read_logged(rounds: int) -> Result:
    """GET /signals/{id} with its access log row against the same view with the log write
    swapped out (ADR 0014): the cost of NEN 7513 logging on the read that matters most."""
    from signals import services
    from signals.api import access_log
    from tests.signals.factories import service_data

    world = _world()
    signal = services.signal_create(user=world["signaller"], data=service_data()).signal
    services.signal_route(signal_id=signal.pk)
    for n in range(3):
        services.signal_note_add(signal_id=signal.pk, actor=world["member"], body=f"Notitie {n}")
    client = _client(world["member"])
    url = f"/api/v1/signals/{signal.pk}"
    real = access_log.logged

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.content

    def unlogged() -> None:
        access_log.logged = _unlogged
        try:
            get()
        finally:
            access_log.logged = real

    baseline, median = _timed_pair(unlogged, get, rounds=rounds)
    return Result(
        "detail GET /signals/{id} logged",
        "same read, log write swapped out",
        median,
        baseline,
        median / baseline,
        1.3,
    )
