"""The team queue and the detail endpoint: defaults, filters, cursor pagination, what a row may
show, and query counts that do not grow with the number of rows, events or notes."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AddressPoint, TeamRole
from signals import services
from signals.models import Status
from tests.factories import NeighbourhoodFactory, cover, member_of
from tests.fixtures import token_client
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

# Monday 10:00 in Amsterdam: inside working hours, so deadlines are easy to reason about.
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
PERSONAL_KEYS = {"resident", "first_name", "phone", "email", "address", "postcode", "observation"}
PERSONAL_VALUES = ["Wilhelmina", "wilhelmina@", "12345678", "3511AB", "3512CD", "bankje"]
# The access log row of each call costs a fixed 6 here: the actor's roles, the chain lock, the
# chain head, the insert, and the savepoint pair the test's own transaction turns the view's
# transaction into (ADR 0014). It must not grow with rows either.
LOG_WRITE_QUERIES = 6
MAX_QUEUE_QUERIES = 6 + LOG_WRITE_QUERIES
MAX_DETAIL_QUERIES = 10 + LOG_WRITE_QUERIES


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def team():
    """One team covering two buurten in two wijken: 3511AB (buurt one), 3512CD (buurt two)."""
    team = team_with_coverage("Buurtteam Binnenstad", postcode="3511AB")
    first = team.coverage.get().neighbourhood
    second = NeighbourhoodFactory(mapping_version=first.mapping_version)
    assert second.wijk_code != first.wijk_code
    for number in range(1, 21):
        AddressPoint.objects.create(
            mapping_version=first.mapping_version,
            postcode="3512CD",
            house_number=number,
            neighbourhood=second,
        )
    cover(team, second)
    return team


@pytest.fixture
def member(team):
    return member_of(team)


@pytest.fixture
def coordinator(team):
    return member_of(team, TeamRole.COORDINATOR)


@pytest.fixture
def other_team_signal():
    team_with_coverage("Buurtteam Overvecht", postcode="3563AB")
    address = {"postcode": "3563AB", "house_number": 5, "addition": ""}
    return make_signal(state=Status.ROUTED, address=address)


def address(postcode: str = "3511AB", number: int = 3) -> dict:
    return {"postcode": postcode, "house_number": number, "addition": ""}


def queue(user, **params) -> list[dict]:
    response = token_client(user).get("/api/v1/queue", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(rows) -> list[str]:
    return [str(getattr(row, "pk", None) or row["id"]) for row in rows]


# --- default view ------------------------------------------------------------------------------


def test_default_is_open_work_of_own_teams_soonest_deadline_first(
    member, coordinator, other_team_signal
):
    urgent = {"state": Status.ROUTED, "urgency": "urgent"}
    with at(T0 - 2 * HOUR):
        due_in_2h = make_signal(**urgent)
    with at(T0):
        due_in_4h = make_signal(**urgent)
    with at(T0 - HOUR):
        acknowledged = make_signal(state=Status.ACKNOWLEDGED, worker=member, urgency="urgent")
    with at(T0 - 3 * HOUR):
        due_in_1h = make_signal(**urgent)
        contacted = make_signal(state=Status.CONTACTED, worker=member)
    with at(T0):
        follow_up = make_signal(state=Status.IN_FOLLOW_UP, worker=member)
        closed = make_signal(state=Status.CLOSED, worker=member)
        declined = make_signal(state=Status.DECLINED, worker=member)
        make_signal(state=Status.RECEIVED)
        withdrawn = make_signal(state=Status.ROUTED)
        services.consent_withdraw(signal_id=withdrawn.pk, actor=member, reason="Belde zelf.")
        forwarded = make_signal(state=Status.ROUTED)
        services.signal_forward(
            signal_id=forwarded.pk,
            actor=coordinator,
            team_id=other_team_signal.team_id,
            expected_version=forwarded.version,
            reason="Hoort bij Overvecht.",
        )
        rows = queue(member)
    expected = [due_in_1h, due_in_2h, due_in_4h, acknowledged, contacted, follow_up]
    assert ids(rows) == ids(expected)
    assert [row["status"] for row in rows] == [
        "routed",
        "routed",
        "routed",
        "acknowledged",
        "contacted",
        "in_follow_up",
    ]
    hidden = {closed, declined, withdrawn, forwarded, other_team_signal}
    assert not set(ids(rows)) & set(ids(hidden))


def test_status_filter_takes_several_values_and_lifts_the_open_default(member, coordinator):
    routed = make_signal(state=Status.ROUTED)
    closed = make_signal(state=Status.CLOSED, worker=member)
    declined = make_signal(state=Status.DECLINED, worker=member)
    withdrawn = make_signal(state=Status.ROUTED)
    services.consent_withdraw(signal_id=withdrawn.pk, actor=coordinator, reason="Belde zelf.")
    assert set(ids(queue(member, status=["closed", "declined"]))) == set(ids([closed, declined]))
    assert ids(queue(member, status="withdrawn")) == ids([withdrawn])
    assert ids(queue(member, status="routed")) == ids([routed])


def test_urgency_and_target_group_filters(member):
    urgent = make_signal(state=Status.ROUTED, urgency="urgent", target_group="young_adult")
    soon = make_signal(state=Status.ROUTED, urgency="soon", target_group="migrant_elderly")
    normal = make_signal(state=Status.ROUTED, urgency="normal", target_group="elderly_at_home")
    assert set(ids(queue(member, urgency=["urgent", "soon"]))) == set(ids([urgent, soon]))
    assert ids(queue(member, urgency="normal")) == ids([normal])
    young_or_migrant = queue(member, target_group=["young_adult", "migrant_elderly"])
    assert set(ids(young_or_migrant)) == set(ids([urgent, soon]))
    assert ids(queue(member, target_group="elderly_at_home")) == ids([normal])


def test_wijk_and_buurt_filters(team, member):
    in_one = make_signal(state=Status.ROUTED, address=address("3511AB"))
    in_two = make_signal(state=Status.ROUTED, address=address("3512CD"))
    one, two = in_one.neighbourhood, in_two.neighbourhood
    assert one != two
    assert ids(queue(member, wijk=one.wijk_code)) == ids([in_one])
    assert ids(queue(member, wijk=two.wijk_code)) == ids([in_two])
    assert ids(queue(member, buurt=two.code)) == ids([in_two])
    assert ids(queue(member, buurt="BU99999999")) == []


def test_assigned_me_and_none(member, coordinator):
    colleague = member_of(coordinator.teams.get())
    mine, theirs, nobodys = (make_signal(state=Status.ROUTED) for _ in range(3))
    services.signal_assign(signal_id=mine.pk, actor=member, assignee_id=None, expected_version=None)
    services.signal_assign(
        signal_id=theirs.pk, actor=coordinator, assignee_id=colleague.pk, expected_version=None
    )
    assert ids(queue(member, assigned="me")) == ids([mine])
    assert ids(queue(colleague, assigned="me")) == ids([theirs])
    assert ids(queue(member, assigned="none")) == ids([nobodys])
    assert len(queue(member)) == 3


def test_overdue_follows_the_clock(member):
    with at(T0):
        urgent = make_signal(state=Status.ROUTED, urgency="urgent")  # acknowledge by T0+4h
        normal = make_signal(state=Status.ROUTED, urgency="normal")  # 16 working hours
        closed = make_signal(state=Status.CLOSED, worker=member)  # due_at is its closing time
        assert queue(member, overdue="true") == []
        assert set(ids(queue(member, overdue="false"))) == set(ids([urgent, normal]))
    with at(T0 + 5 * HOUR):
        late = queue(member, overdue="true")
        assert ids(late) == ids([urgent])
        assert late[0]["overdue"] is True
        on_time = queue(member, overdue="false")
        assert ids(on_time) == ids([normal])
        assert on_time[0]["overdue"] is False
        # A closed signal is never overdue, even though its due_at lies in the past.
        assert queue(member, status="closed", overdue="true") == []
        assert ids(queue(member, status="closed", overdue="false")) == ids([closed])


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("status", "bogus"),
        ("urgency", "asap"),
        ("target_group", "kids"),
        ("assigned", "someone"),
        ("overdue", "maybe"),
    ],
)
def test_an_invalid_filter_value_is_a_validation_error(member, param, value):
    make_signal(state=Status.ROUTED)
    response = token_client(member).get("/api/v1/queue", {param: value})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert param in body["details"]["fields"]


# --- pagination --------------------------------------------------------------------------------


def test_cursor_pages_cover_everything_once_in_deadline_order_even_with_ties(member):
    signals = []
    for moment in (T0, T0, T0 - HOUR, T0, T0 - 2 * HOUR, T0, T0 - HOUR):
        with at(moment):  # signals made at the same moment share their due_at
            signals.append(make_signal(state=Status.ROUTED, urgency="urgent"))
    client = token_client(member)
    seen, pages = [], []
    url, params = "/api/v1/queue", {"page_size": 3}
    while url:
        body = client.get(url, params).json()
        pages.append(len(body["results"]))
        seen += body["results"]
        url, params = body["next"], None
    assert pages == [3, 3, 1]
    assert len(set(ids(seen))) == len(seen) == 7
    assert set(ids(seen)) == set(ids(signals))
    due = [row["due_at"] for row in seen]
    assert due == sorted(due)
    assert len(set(due)) == 3


def test_cursor_pages_keep_signals_without_a_deadline(member):
    """Withdrawal clears due_at; such rows come last and must not fall off the later pages."""
    with at(T0 - HOUR):
        closed = [make_signal(state=Status.CLOSED, worker=member) for _ in range(2)]
    withdrawn = [make_signal(state=Status.ROUTED) for _ in range(2)]
    for signal in withdrawn:
        services.consent_withdraw(signal_id=signal.pk, actor=member, reason="Belde zelf.")
    client = token_client(member)
    seen, pages = [], []
    url, params = "/api/v1/queue", {"status": ["closed", "withdrawn"], "page_size": 1}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        seen += response.json()["results"]
        url, params = response.json()["next"], None
    assert len(seen) == 4
    assert set(ids(seen[:2])) == set(ids(closed))
    assert set(ids(seen[2:])) == set(ids(withdrawn))
    back = client.get(pages[-1]["previous"])
    assert back.status_code == 200
    assert ids(back.json()["results"]) == ids(seen[2:3])


def test_page_size_is_capped_at_100(member):
    for _ in range(101):
        make_signal(state=Status.ROUTED)
    client = token_client(member)
    default = client.get("/api/v1/queue").json()
    assert len(default["results"]) == 25
    first = client.get("/api/v1/queue", {"page_size": 500}).json()
    assert len(first["results"]) == 100
    assert first["next"]
    rest = client.get(first["next"]).json()
    assert len(rest["results"]) == 1
    assert not set(ids(rest["results"])) & set(ids(first["results"]))


# --- what a row shows, and at what cost --------------------------------------------------------


def test_queue_rows_carry_no_personal_fields(member):
    make_signal(state=Status.ROUTED, address=address("3511AB"))
    make_signal(state=Status.ACKNOWLEDGED, worker=member, address=address("3512CD"))
    response = token_client(member).get("/api/v1/queue")
    rows = response.json()["results"]
    assert len(rows) == 2
    for row in rows:
        assert not set(row) & PERSONAL_KEYS
        assert row["neighbourhood"]["code"].startswith("BU")
    text = response.content.decode()
    for value in PERSONAL_VALUES:
        assert value not in text


def _count_queue_queries(client) -> tuple[int, int]:
    # Steady use: the login session is in the cache (accounts.session_cache) for every count,
    # also after a set-up that saved a user and so renewed its cache generation.
    client.get("/api/v1/queue", {"page_size": 100})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/queue", {"page_size": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_queue_query_count_does_not_grow_with_rows(team, member, coordinator):
    colleagues = [member, coordinator, member_of(team)]
    make_signal(state=Status.ACKNOWLEDGED, worker=member, reasons=["few_contacts", "lost_partner"])
    client = token_client(member)
    one, rows_one = _count_queue_queries(client)
    for n in range(49):
        signal = make_signal(
            state=Status.ROUTED,
            address=address("3512CD" if n % 2 else "3511AB", n % 20 + 1),
            reasons=["few_contacts", "recently_moved", "language_barrier"][: n % 3 + 1],
        )
        if n % 4:
            services.signal_assign(
                signal_id=signal.pk,
                actor=coordinator,
                assignee_id=colleagues[n % 3].pk,
                expected_version=signal.version,
            )
    fifty, rows_fifty = _count_queue_queries(client)
    assert (rows_one, rows_fifty) == (1, 50)
    assert one == fifty
    assert fifty <= MAX_QUEUE_QUERIES


# --- detail ------------------------------------------------------------------------------------


def _count_detail_queries(client, signal) -> tuple[int, dict]:
    client.get(f"/api/v1/signals/{signal.pk}")  # the session cached, as in steady use
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/v1/signals/{signal.pk}")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def test_detail_shows_events_and_notes_at_a_constant_query_count(team, member, coordinator):
    signal = make_signal(state=Status.ACKNOWLEDGED, worker=member)
    client = token_client(member)
    few, body = _count_detail_queries(client, signal)
    assert [e["type"] for e in body["events"]] == ["created", "routed", "transitioned"]
    assert body["notes"] == []
    assert body["resident"]["first_name"] == "Wilhelmina"
    assert body["consent"]["consent_text_version"] == "2026-3"

    authors = [member, coordinator, *(member_of(team) for _ in range(4))]
    first = services.signal_note_add(signal_id=signal.pk, actor=authors[0], body="Notitie 0")
    for n, author in enumerate(authors[1:], start=1):
        services.signal_note_add(
            signal_id=signal.pk, actor=author, body=f"Notitie {n}", corrects_id=first.pk
        )
    services.signal_assign(
        signal_id=signal.pk, actor=coordinator, assignee_id=authors[3].pk, expected_version=None
    )
    services.signal_transition(
        signal_id=signal.pk, actor=authors[4], to_status=Status.CONTACTED, expected_version=None
    )
    many, body = _count_detail_queries(client, signal)
    assert [n["body"] for n in body["notes"]] == [f"Notitie {n}" for n in range(6)]
    assert {n["author"]["id"] for n in body["notes"]} == {str(a.pk) for a in authors}
    assert body["notes"][1]["corrects_id"] == str(first.pk)
    assert len(body["events"]) == 3 + 6 + 2
    assert {e["actor"]["id"] for e in body["events"] if e["actor"]} >= {
        str(authors[4].pk),
        str(coordinator.pk),
    }
    assert many == few
    assert many <= MAX_DETAIL_QUERIES
