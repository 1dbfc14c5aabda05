"""Every signals endpoint, every role: the status the route matrix gives it, what each answer did.

A 2xx must have done its work; anything else must have changed nothing (OWASP API1/API5)."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import Team, TeamMembership, TeamRole, User
from signals.models import (
    BreakGlassAccess,
    ConsentWithdrawal,
    Signal,
    SignalEvent,
    SignalNote,
    Status,
)
from tests.factories import UserFactory, member_of
from tests.fixtures import token_client
from tests.security import matrix
from tests.signals.factories import intake_payload, make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

# Each role of this world, as a caller of the route matrix (tests/security/route_matrix.txt, the
# one table of who gets what, ADR 42) and the object the call is to it: another field worker and
# team B's coordinator act on team A's signal as the matrix's field worker and coordinator act on
# team B's.
ROLE_CELLS = {
    "anonymous": ("anon", "own"),
    "signaller": ("fw", "own"),
    "other_worker": ("fw", "foreign"),
    "member": ("mem", "own"),
    "other_member": ("omem", "own"),
    "coordinator": ("coord", "own"),
    "other_coordinator": ("coord", "foreign"),
    "privacy_officer": ("po", "own"),
    "admin": ("adm", "own"),
}
SIGNAL = "api/v1/signals/<uuid:signal_id>"
ROUTES = {  # endpoint -> (method, route, whether it takes the signal)
    "create": ("POST", "api/v1/signals", False),
    "detail": ("GET", SIGNAL, True),
    "transition": ("POST", f"{SIGNAL}/transitions", True),
    "claim": ("POST", f"{SIGNAL}/assign", True),
    "assign_other": ("POST", f"{SIGNAL}/assign", True),
    "forward": ("POST", f"{SIGNAL}/forward", True),
    "note": ("POST", f"{SIGNAL}/notes", True),
    "withdraw": ("POST", f"{SIGNAL}/withdraw-consent", True),
    "queue": ("GET", "api/v1/queue", False),
    "my_signals": ("GET", "api/v1/my/signals", False),
    "consent_texts": ("GET", "api/v1/consent-texts", False),
    "reason_codes": ("GET", "api/v1/reason-codes", False),
    "break_glass": ("POST", f"{SIGNAL}/break-glass", True),
    "break_glass_list": ("GET", "api/v1/audit/break-glass", False),
}
# The matrix's assign row is a claim; naming a colleague is the coordinator's (the service's
# refusal, with a body the matrix does not send).
NOT_IN_THE_MATRIX = {("assign_other", "member"): 403}


def expected_statuses(endpoint: str, role: str) -> frozenset[int]:
    if (endpoint, role) in NOT_IN_THE_MATRIX:
        return frozenset({NOT_IN_THE_MATRIX[(endpoint, role)]})
    method, route, on_signal = ROUTES[endpoint]
    caller, obj = ROLE_CELLS[role]
    return matrix.lookup(method, route, obj if on_signal else "-", caller).expected.statuses


CASES = [(endpoint, role) for endpoint in ROUTES for role in ROLE_CELLS]
# Refusals that come from the service rather than the capability check.
DOMAIN_REFUSALS = {
    ("assign_other", "member"): "coordinator_required",
    ("forward", "member"): "coordinator_required",
    ("break_glass", "member"): "break_glass_not_needed",
    ("break_glass", "coordinator"): "break_glass_not_needed",
}
ERROR_CODES = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}
BREAK_GLASS_REASON = "Bewoner belde de centrale lijn; haar buurtteam is onbereikbaar."


@dataclass
class World:
    team: Team
    other_team: Team
    signal: Signal  # routed to `team`
    other_signal: Signal  # routed to `other_team`
    users: dict[str, User]


@pytest.fixture
def world() -> World:
    team = team_with_coverage("Buurtteam Binnenstad", postcode="3511AB")
    other_team = team_with_coverage("Buurtteam Overvecht", postcode="3563AB")
    coordinator = TeamRole.COORDINATOR
    users = {
        "signaller": UserFactory(field_worker=True),
        "other_worker": UserFactory(field_worker=True),
        "member": member_of(team),
        "colleague": member_of(team),
        "other_member": member_of(other_team),
        "coordinator": member_of(team, coordinator),
        "other_coordinator": member_of(other_team, coordinator),
        "privacy_officer": UserFactory(privacy_officer=True),
        "admin": UserFactory(admin=True),
    }
    signal = make_signal(signaller=users["signaller"], state=Status.ROUTED)
    other_address = {"postcode": "3563AB", "house_number": 5, "addition": ""}
    other_signal = make_signal(state=Status.ROUTED, address=other_address)
    assert (signal.team, other_signal.team) == (team, other_team)
    return World(team, other_team, signal, other_signal, users)


def _url(signal_id: Any, suffix: str = "") -> str:
    return f"/api/v1/signals/{signal_id}{suffix}"


def _requests(w: World, signal_id: Any) -> dict[str, tuple[str, str, dict | None]]:
    version = w.signal.version
    colleague = str(w.users["colleague"].pk)
    return {
        "create": ("post", "/api/v1/signals", intake_payload()),
        "detail": ("get", _url(signal_id), None),
        "transition": (
            "post",
            _url(signal_id, "/transitions"),
            {"to": "acknowledged", "version": version},
        ),
        "claim": ("post", _url(signal_id, "/assign"), {"version": version}),
        "assign_other": (
            "post",
            _url(signal_id, "/assign"),
            {"assignee": colleague, "version": version},
        ),
        "forward": (
            "post",
            _url(signal_id, "/forward"),
            {"team": str(w.other_team.pk), "version": version, "reason": "Woont in Overvecht."},
        ),
        "note": ("post", _url(signal_id, "/notes"), {"body": "Gebeld, geen gehoor."}),
        "withdraw": ("post", _url(signal_id, "/withdraw-consent"), {"reason": "Belde zelf."}),
        "queue": ("get", "/api/v1/queue", None),
        "my_signals": ("get", "/api/v1/my/signals", None),
        "consent_texts": ("get", "/api/v1/consent-texts", None),
        "reason_codes": ("get", "/api/v1/reason-codes", None),
        "break_glass": ("post", _url(signal_id, "/break-glass"), {"reason": BREAK_GLASS_REASON}),
        "break_glass_list": ("get", "/api/v1/audit/break-glass", None),
    }


def _call(w: World, role: str, endpoint: str, signal_id: Any = None) -> Any:
    client = APIClient() if role == "anonymous" else token_client(w.users[role])
    method, url, body = _requests(w, signal_id or w.signal.pk)[endpoint]
    if method == "get":
        return client.get(url)
    return client.post(url, body, format="json")


def snapshot(signal: Signal) -> tuple:
    s = Signal.objects.get(pk=signal.pk)
    return (
        s.status,
        s.version,
        s.team_id,
        s.assigned_to_id,
        s.forward_to_team_id,
        s.resident_first_name,
        s.events.count(),
        s.notes.count(),
        ConsentWithdrawal.objects.filter(consent__signal=s).exists(),
        s.break_glass.count(),
    )


def _world_state(w: World) -> tuple:
    return snapshot(w.signal), snapshot(w.other_signal), Signal.objects.count()


def _last_event(signal: Signal) -> SignalEvent:
    return SignalEvent.objects.filter(signal=signal).order_by("-created_at", "-id").first()


# --- what each successful call must have done ---------------------------------------------------


def _created(w: World, caller: User, body: Any, before: tuple) -> None:
    created = Signal.objects.get(pk=body["id"])
    assert (created.created_by, created.status) == (caller, Status.RECEIVED)
    assert Signal.objects.count() == before[2] + 1
    assert _world_state(w)[:2] == before[:2]


def _read_detail(w: World, caller: User, body: Any, before: tuple) -> None:
    assert body["id"] == str(w.signal.pk)
    assert body["resident"]["first_name"] == "Wilhelmina"
    assert [e["type"] for e in body["events"]] == ["created", "routed"]
    assert _world_state(w) == before


def _transitioned(w: World, caller: User, body: Any, before: tuple) -> None:
    w.signal.refresh_from_db()
    assert (w.signal.status, w.signal.version) == (Status.ACKNOWLEDGED, before[0][1] + 1)
    event = _last_event(w.signal)
    assert (event.type, event.actor, event.to_status) == ("transitioned", caller, "acknowledged")
    assert body["status"] == "acknowledged"


def _assigned_to(key: str | None) -> Callable[..., None]:
    def check(w: World, caller: User, body: Any, before: tuple) -> None:
        assignee = w.users[key] if key else caller
        w.signal.refresh_from_db()
        assert w.signal.assigned_to == assignee
        event = _last_event(w.signal)
        assert (event.type, event.actor) == ("assigned", caller)
        assert event.data == {"assignee_id": str(assignee.pk)}
        assert body["assigned_to"]["id"] == str(assignee.pk)

    return check


def _forwarded(w: World, caller: User, body: Any, before: tuple) -> None:
    w.signal.refresh_from_db()
    assert (w.signal.status, w.signal.forward_to_team) == (Status.FORWARDED, w.other_team)
    event = _last_event(w.signal)
    assert (event.type, event.actor) == ("forwarded", caller)
    assert event.note.body == "Woont in Overvecht."
    assert body["status"] == "forwarded"


def _noted(w: World, caller: User, body: Any, before: tuple) -> None:
    note = SignalNote.objects.get(pk=body["id"])
    assert (note.signal_id, note.author, note.body) == (w.signal.pk, caller, "Gebeld, geen gehoor.")
    event = _last_event(w.signal)
    assert (event.type, event.note_id) == ("note_added", note.pk)


def _withdrawn(w: World, caller: User, body: Any, before: tuple) -> None:
    w.signal.refresh_from_db()
    assert (w.signal.status, w.signal.resident_first_name) == (Status.WITHDRAWN, "")
    withdrawal = ConsentWithdrawal.objects.get(consent__signal=w.signal)
    assert (withdrawal.withdrawn_by, withdrawal.reason) == (caller, "Belde zelf.")
    assert (body["id"], body["status"]) == (str(w.signal.pk), "withdrawn")
    assert snapshot(w.other_signal) == before[1]


def _queue(w: World, caller: User, body: Any, before: tuple) -> None:
    ids = {row["id"] for row in body["results"]}
    teams = set(caller.teams.all())
    assert (str(w.signal.pk) in ids) == (w.team in teams)
    assert (str(w.other_signal.pk) in ids) == (w.other_team in teams)
    assert ids, "every team in the world has one open signal"
    assert _world_state(w) == before


# Status, and whether the resident was connected (issue 11); never the team's work.
MY_SIGNAL_KEYS = {"id", "client_uuid", "status", "created_at", "updated_at"}
MY_SIGNAL_KEYS |= {"connected", "connected_to"}


def _my_signals(w: World, caller: User, body: Any, before: tuple) -> None:
    own = [str(w.signal.pk)] if caller == w.signal.created_by else []
    assert [row["id"] for row in body] == own
    for row in body:
        assert set(row) == MY_SIGNAL_KEYS
        assert row["status"] == "routed"


def _consent_texts(w: World, caller: User, body: Any, before: tuple) -> None:
    assert {(t["version"], t["language"]) for t in body} >= {("2026-1", "nl"), ("2026-1", "en")}
    assert all(len(t["sha256"]) == 64 for t in body)


def _reason_codes(w: World, caller: User, body: Any, before: tuple) -> None:
    assert "few_contacts" in {r["code"] for r in body}


def _broke_glass(w: World, caller: User, body: Any, before: tuple) -> None:
    access = BreakGlassAccess.objects.get(pk=body["id"])
    assert (access.user, access.signal, access.reason) == (caller, w.signal, BREAK_GLASS_REASON)
    assert Signal.objects.visible_to(caller).filter(pk=w.signal.pk).exists()
    assert snapshot(w.signal)[:-1] == before[0][:-1]  # the signal itself did not change


def _break_glass_list(w: World, caller: User, body: Any, before: tuple) -> None:
    assert body["results"] == []  # nobody opened anything in this world
    assert _world_state(w) == before


EFFECTS: dict[str, Callable[..., None]] = {
    "create": _created,
    "detail": _read_detail,
    "transition": _transitioned,
    "claim": _assigned_to(None),
    "assign_other": _assigned_to("colleague"),
    "forward": _forwarded,
    "note": _noted,
    "withdraw": _withdrawn,
    "queue": _queue,
    "my_signals": _my_signals,
    "consent_texts": _consent_texts,
    "reason_codes": _reason_codes,
    "break_glass": _broke_glass,
    "break_glass_list": _break_glass_list,
}


def test_the_matrix_covers_every_signals_route():
    from privacy.urls import urlpatterns as privacy_urls
    from signals.urls import urlpatterns

    assert len(urlpatterns) == 12  # claim and assign_other share the assign route
    # break_glass_list: the privacy officer's review, served by privacy (docs/adr/0020).
    assert "audit-break-glass" in {pattern.name for pattern in privacy_urls}
    assert set(EFFECTS) == set(ROUTES)
    # Every role reaches a success somewhere, so every effect check runs.
    reached = {e for e, role in CASES if min(expected_statuses(e, role)) < 300}
    assert reached == set(ROUTES)


@pytest.mark.parametrize(("endpoint", "role"), CASES)
def test_permission_matrix(world, endpoint, role):
    """The status the route matrix gives this role, and what the answer did."""
    expected = expected_statuses(endpoint, role)
    before = _world_state(world)
    response = _call(world, role, endpoint)
    assert response.status_code in expected, response.content
    if 200 <= response.status_code < 300:
        EFFECTS[endpoint](world, world.users.get(role), response.json(), before)
        return
    body = response.json()
    assert (
        body["code"] == DOMAIN_REFUSALS.get((endpoint, role)) or ERROR_CODES[response.status_code]
    )
    assert set(body) == {"code", "message", "details"}
    assert _world_state(world) == before


TEAM_ENDPOINTS = ["detail", "transition", "claim", "assign_other", "forward", "note"]


@pytest.mark.parametrize("role", ["signaller", "privacy_officer", "admin"])
@pytest.mark.parametrize("endpoint", TEAM_ENDPOINTS)
def test_without_the_capability_the_whole_endpoint_is_forbidden(world, endpoint, role):
    """403 before any lookup: the answer is the same for a signal that does not exist."""
    response = _call(world, role, endpoint, signal_id=uuid.uuid4())
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


@pytest.mark.parametrize(
    "endpoint", ["detail", "transition", "claim", "forward", "note", "withdraw"]
)
def test_another_teams_signal_answers_exactly_like_a_missing_one(world, endpoint):
    """No existence oracle: the body for another team's signal equals that for a random id."""
    role = "other_coordinator"
    before = _world_state(world)
    foreign = _call(world, role, endpoint)
    missing = _call(world, role, endpoint, signal_id=uuid.uuid4())
    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert foreign.json() == missing.json()
    assert _world_state(world) == before


def test_privacy_officer_withdraws_on_any_signal_even_before_routing(world):
    unrouted = make_signal(state=Status.RECEIVED)
    client = token_client(world.users["privacy_officer"])
    response = client.post(
        _url(unrouted.pk, "/withdraw-consent"), {"reason": "Brief van de bewoner."}, format="json"
    )
    assert response.status_code == 200
    unrouted.refresh_from_db()
    assert (unrouted.status, unrouted.observation) == (Status.WITHDRAWN, "")
    missing = client.post(_url(uuid.uuid4(), "/withdraw-consent"), {}, format="json")
    assert missing.status_code == 404


def test_signaller_withdraws_own_signal_before_it_is_routed(world):
    signaller = world.users["signaller"]
    before = _world_state(world)
    client = token_client(signaller)
    mine = client.post("/api/v1/signals", intake_payload(), format="json")
    assert mine.status_code == 201
    response = client.post(_url(mine.json()["id"], "/withdraw-consent"), {}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
    withdrawal = ConsentWithdrawal.objects.get(consent__signal_id=mine.json()["id"])
    assert withdrawal.withdrawn_by == signaller
    assert _world_state(world)[:2] == before[:2]


def test_signaller_status_list_never_carries_team_notes(world):
    token_client(world.users["member"]).post(
        _url(world.signal.pk, "/notes"), {"body": "Rouwt om haar man."}, format="json"
    )
    assert world.signal.notes.count() == 1
    response = token_client(world.users["signaller"]).get("/api/v1/my/signals")
    assert response.status_code == 200
    assert "Rouwt" not in response.content.decode()
    assert [set(row) for row in response.json()] == [MY_SIGNAL_KEYS]


def test_writes_with_a_stale_token_of_a_removed_member_change_nothing(world):
    """Membership is checked per request, not baked into the token."""
    member = world.users["member"]
    client = token_client(member)
    TeamMembership.objects.filter(user=member, team=world.team).delete()
    before = _world_state(world)
    for endpoint in ("detail", "transition", "claim", "note"):
        _method, url, body = _requests(world, world.signal.pk)[endpoint]
        response = client.get(url) if body is None else client.post(url, body, format="json")
        assert response.status_code == 404, endpoint
    assert _world_state(world) == before
