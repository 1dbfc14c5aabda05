"""The full transition table, through the one write path."""

import itertools

import pytest
import time_machine
from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import TeamRole
from backend.errors import DomainError
from signals import services, workflow
from signals.models import SignalEvent, SignalNote, Status
from tests.factories import TeamFactory, member_of
from tests.signals.factories import PATH_TO, make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

# States a signal can be put in for the table test (received/forwarded/withdrawn have their own
# services and are covered separately).
STARTS = list(PATH_TO)
TARGETS = [
    Status.ACKNOWLEDGED,
    Status.CONTACTED,
    Status.IN_FOLLOW_UP,
    Status.CLOSED,
    Status.DECLINED,
    Status.ROUTED,
    Status.RECEIVED,
    Status.FORWARDED,
    Status.WITHDRAWN,
]


# The transitions a person may make, written out by hand: the expectation must not come from
# signals.workflow, the code under test. Anything not listed is refused.
S = Status
ALLOWED = {
    (S.ROUTED, S.ACKNOWLEDGED),
    (S.ROUTED, S.DECLINED),
    (S.ACKNOWLEDGED, S.CONTACTED),
    (S.ACKNOWLEDGED, S.DECLINED),
    (S.ACKNOWLEDGED, S.CLOSED),
    (S.CONTACTED, S.IN_FOLLOW_UP),
    (S.CONTACTED, S.CLOSED),
    (S.IN_FOLLOW_UP, S.CLOSED),
}


def test_the_transition_table_is_exactly_the_one_written_here():
    table = {
        (start, target) for start, targets in workflow.TRANSITIONS.items() for target in targets
    }
    assert table == ALLOWED


@pytest.fixture
def team():
    return team_with_coverage()


@pytest.fixture
def worker(team):
    return member_of(team)


def test_the_table_has_every_status():
    assert set(workflow.TRANSITIONS) == set(Status)


@pytest.mark.parametrize(("start", "target"), list(itertools.product(STARTS, TARGETS)))
def test_each_transition_is_allowed_or_refused_by_the_table(team, worker, start, target):
    signal = make_signal(state=start, worker=worker)
    events_before = signal.events.count()
    kwargs = {
        "note": "reden" if target == Status.DECLINED else "",
        "outcome": "other" if target == Status.CLOSED else "",
    }
    if (start, target) in ALLOWED:
        moved = services.signal_transition(
            signal_id=signal.pk,
            actor=worker,
            to_status=target,
            expected_version=signal.version,
            **kwargs,
        )
        assert moved.status == target
        assert moved.version == signal.version + 1
        event = moved.events.order_by("-id").first()
        assert (event.type, event.from_status, event.to_status, event.actor) == (
            SignalEvent.Type.TRANSITIONED,
            start,
            target,
            worker,
        )
    else:
        with pytest.raises(DomainError) as refused:
            services.signal_transition(
                signal_id=signal.pk,
                actor=worker,
                to_status=target,
                expected_version=signal.version,
                **kwargs,
            )
        assert refused.value.code == "illegal_transition"
        assert refused.value.details["allowed"] == sorted(t for s, t in ALLOWED if s == start)
        signal.refresh_from_db()
        assert signal.status == start
        assert signal.events.count() == events_before


def test_illegal_transition_over_the_api_is_409_with_the_allowed_ones(team, worker, client_for):
    signal = make_signal(state=Status.ROUTED, worker=worker)
    response = client_for(worker).post(
        f"/api/v1/signals/{signal.pk}/transitions",
        {"to": "closed", "version": signal.version, "outcome": "other"},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert body["details"]["allowed"] == ["acknowledged", "declined"]


def test_stale_version_is_409_and_changes_nothing(team, worker, client_for):
    signal = make_signal(state=Status.ROUTED, worker=worker)
    client = client_for(worker)
    url = f"/api/v1/signals/{signal.pk}/transitions"
    assert (
        client.post(
            url, {"to": "acknowledged", "version": signal.version}, format="json"
        ).status_code
        == 200
    )
    stale = client.post(
        url, {"to": "declined", "version": signal.version, "note": "x"}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    assert stale.json()["details"]["current_version"] == signal.version + 1
    signal.refresh_from_db()
    assert signal.status == Status.ACKNOWLEDGED


def test_closing_needs_an_outcome_and_declining_a_reason(team, worker):
    signal = make_signal(state=Status.ACKNOWLEDGED, worker=worker)
    with pytest.raises(DomainError, match="outcome_required"):
        services.signal_transition(
            signal_id=signal.pk,
            actor=worker,
            to_status=Status.CLOSED,
            expected_version=signal.version,
        )
    with pytest.raises(DomainError, match="reason_required"):
        services.signal_transition(
            signal_id=signal.pk,
            actor=worker,
            to_status=Status.DECLINED,
            expected_version=signal.version,
            note="  ",
        )
    closed = services.signal_transition(
        signal_id=signal.pk,
        actor=worker,
        to_status=Status.CLOSED,
        outcome="resident_declined_help",
        expected_version=signal.version,
    )
    assert closed.outcome == "resident_declined_help"
    assert closed.closed_at is not None
    assert closed.events.order_by("-id").first().data == {"outcome": "resident_declined_help"}


def test_decline_reason_is_kept_as_a_note_referenced_by_the_event(team, worker):
    signal = make_signal(state=Status.DECLINED, worker=worker)
    event = signal.events.get(to_status=Status.DECLINED)
    assert event.note.body == "Kan het niet oppakken."


def test_due_date_follows_the_status(team, worker):
    signal = make_signal(state=Status.ROUTED, worker=worker)
    assert signal.due_at == signal.acknowledge_due_at
    acknowledged = services.signal_transition(
        signal_id=signal.pk,
        actor=worker,
        to_status=Status.ACKNOWLEDGED,
        expected_version=signal.version,
    )
    assert acknowledged.due_at == signal.first_contact_due_at


def test_notes_are_append_only_and_corrections_refer_to_the_original(team, worker, client_for):
    signal = make_signal(state=Status.ACKNOWLEDGED, worker=worker)
    client = client_for(worker)
    first = client.post(
        f"/api/v1/signals/{signal.pk}/notes", {"body": "Gebeld, geen gehoor."}, format="json"
    ).json()
    fix = client.post(
        f"/api/v1/signals/{signal.pk}/notes",
        {"body": "Correctie: wel gesproken.", "corrects": first["id"]},
        format="json",
    )
    assert fix.status_code == 201
    assert fix.json()["corrects_id"] == first["id"]
    assert SignalNote.objects.get(pk=first["id"]).body == "Gebeld, geen gehoor."
    assert signal.events.filter(type=SignalEvent.Type.NOTE_ADDED).count() == 2
    other_signal = make_signal(state=Status.ACKNOWLEDGED, worker=worker)
    other_note = services.signal_note_add(signal_id=other_signal.pk, actor=worker, body="x")
    foreign = client.post(
        f"/api/v1/signals/{signal.pk}/notes",
        {"body": "x", "corrects": str(other_note.pk)},
        format="json",
    )
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "unknown_note"


def test_claim_and_coordinator_assignment(team, worker):
    coordinator = member_of(team, TeamRole.COORDINATOR)
    colleague = member_of(team)
    outsider = member_of(TeamFactory())
    signal = make_signal(state=Status.ROUTED, worker=worker)

    claimed = services.signal_assign(
        signal_id=signal.pk, actor=worker, assignee_id=None, expected_version=signal.version
    )
    assert claimed.assigned_to == worker
    with pytest.raises(DomainError, match="coordinator_required"):
        services.signal_assign(
            signal_id=signal.pk,
            actor=worker,
            assignee_id=colleague.pk,
            expected_version=claimed.version,
        )
    with pytest.raises(DomainError, match="not_a_team_member"):
        services.signal_assign(
            signal_id=signal.pk,
            actor=coordinator,
            assignee_id=outsider.pk,
            expected_version=claimed.version,
        )
    moved = services.signal_assign(
        signal_id=signal.pk,
        actor=coordinator,
        assignee_id=colleague.pk,
        expected_version=claimed.version,
    )
    assert moved.assigned_to == colleague
    assigned = moved.events.filter(type=SignalEvent.Type.ASSIGNED).order_by("id")
    assert [e.data["assignee_id"] for e in assigned] == [str(worker.pk), str(colleague.pk)]


def test_forward_routes_again_to_the_new_team(team, worker):
    coordinator = member_of(team, TeamRole.COORDINATOR)
    other = TeamFactory(name="Buurtteam Noord")
    signal = make_signal(state=Status.ACKNOWLEDGED, worker=worker)
    with pytest.raises(DomainError, match="coordinator_required"):
        services.signal_forward(
            signal_id=signal.pk,
            actor=worker,
            team_id=other.pk,
            expected_version=signal.version,
            reason="past beter",
        )
    with pytest.raises(DomainError, match="invalid_forward_target"):
        services.signal_forward(
            signal_id=signal.pk,
            actor=coordinator,
            team_id=team.pk,
            expected_version=signal.version,
            reason="zelfde team",
        )
    forwarded = services.signal_forward(
        signal_id=signal.pk,
        actor=coordinator,
        team_id=other.pk,
        expected_version=signal.version,
        reason="Bewoner woont bij familie in Noord.",
    )
    assert forwarded.status == Status.FORWARDED
    routed = services.signal_route(actor=SYSTEM, signal_id=signal.pk)
    assert routed.status == Status.ROUTED
    assert routed.team == other
    assert routed.assigned_to is None
    last = routed.events.order_by("-id").first()
    assert last.type == SignalEvent.Type.ROUTED
    assert last.data["forwarded"] is True and last.data["reason"] == "forwarded"
    assert routed.events.filter(type=SignalEvent.Type.FORWARDED).get().data == {
        "from_team_id": str(team.pk),
        "to_team_id": str(other.pk),
    }


def test_escalation_happens_once_past_the_acknowledgement_deadline(team, worker):
    from signals.tasks import escalate_overdue_signals

    signal = make_signal(state=Status.ROUTED, worker=worker)
    assert escalate_overdue_signals() == 0
    with time_machine.travel(signal.acknowledge_due_at + timezone.timedelta(minutes=1)):
        assert escalate_overdue_signals() == 1
        assert escalate_overdue_signals() == 0
    signal.refresh_from_db()
    assert signal.escalated_at is not None
    assert signal.events.filter(type=SignalEvent.Type.ESCALATED).count() == 1


def test_acknowledged_signal_is_not_escalated(team, worker):
    from signals.tasks import escalate_overdue_signals

    signal = make_signal(state=Status.ACKNOWLEDGED, worker=worker)
    with time_machine.travel(signal.acknowledge_due_at + timezone.timedelta(days=1)):
        assert escalate_overdue_signals() == 0
