"""Referrals through the API: the lifecycle with its SignalEvents, the consent gate, one active
referral per signal, follow-up dates in the queue, withdrawal, the closing rule and what the
signaller sees in my/signals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AccessLog
from initiatives.models import Referral
from signals import providers
from signals.models import SignalEvent, Status
from tests.factories import UserFactory
from tests.initiatives.factories import make_initiative, sharing_consent, worked_signal

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client_for):
    initiative = make_initiative(name="Domstad Plusbus", slug="domstad-plusbus")
    signal, member, _ = worked_signal(consent=sharing_consent(initiative))
    return signal, client_for(member), initiative


def url(signal, tail: str) -> str:
    return f"/api/v1/signals/{signal.pk}/{tail}"


def propose(client, signal, initiative, **extra):
    return client.post(
        url(signal, "referrals"), {"initiative": str(initiative.pk), **extra}, format="json"
    )


def step(client, signal, name: str, **extra):
    return client.post(url(signal, "referral-steps"), {"step": name, **extra}, format="json")


def referral_events(signal) -> list[tuple[str, str]]:
    rows = SignalEvent.objects.filter(signal=signal, type="referral").order_by("id")
    return [(e.data["from_step"], e.data["step"]) for e in rows]


def test_the_lifecycle_through_the_api_appends_one_event_per_step(setup) -> None:
    signal, client, initiative = setup
    created = propose(client, signal, initiative, note="Houdt van uitjes.")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["step"] == "proposed" and body["active"] is True
    assert body["allowed_steps"] == ["agreed", "declined_by_resident", "stuck"]
    for name in ("agreed", "contacted", "meeting_planned", "meeting_happened"):
        response = step(client, signal, name)
        assert response.status_code == 200, response.content
        assert response.json()["step"] == name
    assert referral_events(signal) == [
        ("", "proposed"),
        ("proposed", "agreed"),
        ("agreed", "contacted"),
        ("contacted", "meeting_planned"),
        ("meeting_planned", "meeting_happened"),
    ]
    referral = Referral.objects.get(signal=signal)
    assert referral.first_meeting_at and referral.ended_at
    event = SignalEvent.objects.filter(signal=signal, type="referral").last()
    assert event.data["referral_id"] == str(referral.pk)
    assert event.data["initiative_id"] == str(initiative.pk)
    assert event.actor_id is not None
    listed = client.get(url(signal, "referrals")).json()
    assert [(r["step"], r["active"]) for r in listed] == [("meeting_happened", False)]


def test_a_step_out_of_order_is_409_with_the_allowed_steps(setup) -> None:
    signal, client, initiative = setup
    propose(client, signal, initiative)
    response = step(client, signal, "meeting_happened")
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_referral_step"
    assert response.json()["details"]["allowed"] == ["agreed", "declined_by_resident", "stuck"]


def test_stuck_needs_a_reason_kept_as_a_note(setup) -> None:
    signal, client, initiative = setup
    propose(client, signal, initiative)
    assert step(client, signal, "stuck").json()["code"] == "reason_required"
    assert step(client, signal, "stuck", reason="Neemt niet op.").status_code == 200
    event = SignalEvent.objects.filter(signal=signal, type="referral").last()
    assert event.note.body == "Neemt niet op." and event.data["step"] == "stuck"
    assert step(client, signal, "agreed").status_code == 200  # resumes


@pytest.mark.parametrize("decline", ["declined_by_resident", "declined_by_initiative"])
def test_declines_end_the_referral_and_free_the_signal_for_another(setup, decline) -> None:
    signal, client, initiative = setup
    propose(client, signal, initiative)
    step(client, signal, "agreed")
    step(client, signal, "contacted")
    assert step(client, signal, decline, reason="Past niet.").json()["active"] is False
    other = make_initiative(name="Taal doet meer")
    assert propose(client, signal, other).status_code == 201


def test_only_one_active_referral_per_signal(setup) -> None:
    signal, client, initiative = setup
    propose(client, signal, initiative)
    second = propose(client, signal, make_initiative())
    assert second.status_code == 409 and second.json()["code"] == "referral_already_active"


def test_an_initiative_not_taking_anyone_new_cannot_be_proposed(setup) -> None:
    signal, client, _ = setup
    full = make_initiative(accepting_new=False)
    response = propose(client, signal, full)
    assert response.status_code == 400 and response.json()["code"] == "initiative_unavailable"


def test_no_referral_before_the_team_has_acknowledged(client_for) -> None:
    signal, member, _ = worked_signal(state=Status.ROUTED)
    response = propose(client_for(member), signal, make_initiative())
    assert response.status_code == 409 and response.json()["code"] == "referral_not_open"


def test_contact_details_leave_with_consent_naming_the_initiative(setup) -> None:
    signal, client, initiative = setup
    body = propose(client, signal, initiative).json()
    assert body["consent"] == {
        "share_allowed": True,
        "missing_purpose": None,
        "missing_recipient": None,
        "consent_withdrawn": False,
    }
    step(client, signal, "agreed")
    shared = step(client, signal, "contacted", share_contact=True)
    assert shared.status_code == 200, shared.content
    handover = shared.json()["handover"]
    assert handover["resident"]["phone"] == "+31 6 12345678"
    assert handover["initiative_contact_route"] == initiative.contact_route
    export = AccessLog.objects.get(action="export")
    assert export.details["recipient"] == "initiative:domstad-plusbus"
    assert set(export.fields_touched) == {"resident_first_name", "contact_phone", "contact_email"}
    assert export.subject_id == signal.subject_id
    assert SignalEvent.objects.filter(signal=signal, type="referral").last().data["contact_shared"]


@pytest.mark.parametrize(
    ("consent", "missing"),
    [
        (None, {"missing_purpose": "share_with_initiative"}),  # team contact only
        ("another", {"missing_recipient": "initiative:{id}"}),
    ],
)
def test_without_consent_no_contact_detail_leaves_and_the_api_says_what_is_missing(
    client_for, consent, missing
) -> None:
    initiative = make_initiative(name="Domstad Plusbus", slug="domstad-plusbus")
    missing = {key: value.format(id=initiative.pk) for key, value in missing.items()}
    other = make_initiative(name="Een ander initiatief")
    overrides = {"consent": sharing_consent(other)} if consent else {}
    signal, member, _ = worked_signal(**overrides)
    client = client_for(member)
    proposed = propose(client, signal, initiative)
    assert proposed.status_code == 201  # proposing is allowed
    assert proposed.json()["consent"]["share_allowed"] is False
    for key, value in missing.items():
        assert proposed.json()["consent"][key] == value
    step(client, signal, "agreed")
    refused = step(client, signal, "contacted", share_contact=True)
    assert refused.status_code == 403
    assert refused.json()["code"] == "initiative_consent_missing"
    for key, value in missing.items():
        assert refused.json()["details"][key] == value
    assert "handover" not in refused.json()
    assert not AccessLog.objects.filter(action="export").exists()
    assert Referral.objects.get(signal=signal).step == "agreed"  # nothing changed
    # Contacting the initiative without handing anything over is still possible.
    plain = step(client, signal, "contacted")
    assert plain.status_code == 200 and plain.json()["handover"] is None


def test_any_initiative_the_team_picks_covers_every_initiative(client_for) -> None:
    signal, member, _ = worked_signal(consent=sharing_consent("any"))
    initiative = make_initiative()
    assert propose(client_for(member), signal, initiative).json()["consent"]["share_allowed"]


def test_consent_withdrawal_stops_the_active_referral(setup) -> None:
    signal, client, initiative = setup
    propose(client, signal, initiative)
    step(client, signal, "agreed")
    response = client.post(url(signal, "withdraw-consent"), {"reason": "Belde."}, format="json")
    assert response.status_code == 200, response.content
    referral = Referral.objects.get(signal=signal)
    assert referral.step == "stopped" and referral.ended_at is not None
    assert referral_events(signal)[-1] == ("agreed", "stopped")
    again = step(client, signal, "contacted")
    assert again.status_code == 409 and again.json()["code"] == "referral_not_open"


def test_the_follow_up_date_sets_the_queue_deadline_and_overdue(setup, client_for) -> None:
    signal, client, initiative = setup
    tomorrow = timezone.localdate() + timedelta(days=1)
    propose(client, signal, initiative, follow_up_on=tomorrow.isoformat())
    signal.refresh_from_db()
    assert timezone.localtime(signal.due_at).date() == tomorrow
    # The day passes: the step is overdue in the queue's own filter and order.
    Referral.objects.filter(signal=signal).update(follow_up_on=tomorrow - timedelta(days=2))
    type(signal).objects.filter(pk=signal.pk).update(due_at=timezone.now() - timedelta(hours=1))
    queue = client.get("/api/v1/queue", {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in queue] == [str(signal.pk)] and queue[0]["overdue"]
    assert client.get(url(signal, "referrals")).json()[0]["overdue"] is True


def test_a_follow_up_in_the_past_is_refused(setup) -> None:
    signal, client, initiative = setup
    yesterday = timezone.localdate() - timedelta(days=1)
    response = propose(client, signal, initiative, follow_up_on=yesterday.isoformat())
    assert response.status_code == 400 and response.json()["code"] == "follow_up_in_past"


def close(client, signal, outcome: str):
    signal.refresh_from_db()
    return client.post(
        url(signal, "transitions"),
        {"to": "closed", "version": signal.version, "outcome": outcome},
        format="json",
    )


def test_closing_as_connected_needs_a_referral_that_reached_a_first_meeting(setup) -> None:
    signal, client, initiative = setup
    refused = close(client, signal, "connected_to_initiative")
    assert refused.status_code == 409 and refused.json()["code"] == "connected_needs_referral"
    propose(client, signal, initiative)
    for name in ("agreed", "contacted", "meeting_planned"):
        step(client, signal, name)
    assert close(client, signal, "connected_to_initiative").status_code == 409  # not yet
    step(client, signal, "meeting_happened")
    closed = close(client, signal, "connected_to_initiative")
    assert closed.status_code == 200, closed.content
    event = SignalEvent.objects.filter(signal=signal, type="transitioned").last()
    referral = Referral.objects.get(signal=signal)
    assert event.data["referral_id"] == str(referral.pk)
    assert event.data["outcome"] == "connected_to_initiative"


def test_other_outcomes_close_without_a_referral(setup) -> None:
    signal, client, _ = setup
    assert close(client, signal, "connected_to_informal_network").status_code == 200


def _connect(client, signal, initiative) -> None:
    propose(client, signal, initiative)
    for name in ("agreed", "contacted", "meeting_planned", "meeting_happened"):
        step(client, signal, name)
    assert close(client, signal, "connected_to_initiative").status_code == 200


def test_my_signals_shows_the_signaller_only_that_the_resident_was_connected(client_for) -> None:
    initiative = make_initiative(name="Domstad Plusbus")
    signaller = UserFactory(field_worker=True)
    signal, member, _ = worked_signal(signaller=signaller)  # consent names no initiative
    _connect(client_for(member), signal, initiative)
    [row] = client_for(signaller).get("/api/v1/my/signals").json()
    assert row["connected"] is True and row["connected_to"] is None
    assert "Domstad" not in str(row)


def test_my_signals_names_the_initiative_where_consent_covers_it(client_for) -> None:
    initiative = make_initiative(name="Domstad Plusbus")
    signaller = UserFactory(field_worker=True)
    signal, member, _ = worked_signal(signaller=signaller, consent=sharing_consent(initiative))
    _connect(client_for(member), signal, initiative)
    [row] = client_for(signaller).get("/api/v1/my/signals").json()
    assert row["connected"] is True and row["connected_to"] == "Domstad Plusbus"


def test_another_team_cannot_see_or_refer(setup, client_for) -> None:
    signal, _, initiative = setup
    _theirs, other, _ = worked_signal(team_name="Buurtteam Overvecht")
    outsider = client_for(other)
    assert outsider.get(url(signal, "referrals")).status_code == 404
    assert propose(outsider, signal, initiative).status_code == 404
    assert step(outsider, signal, "agreed").status_code == 404


def test_closing_the_signal_ends_its_active_referral(setup) -> None:
    signal, client, initiative = setup
    propose(client, signal, initiative, follow_up_on=str(timezone.localdate()))
    step(client, signal, "agreed")
    signal.refresh_from_db()
    assert close(client, signal, "connected_to_informal_network").status_code == 200
    referral = Referral.objects.get(signal=signal)
    assert referral.step == "stopped" and referral.ended_at is not None
    assert referral.follow_up_on is None
    last = SignalEvent.objects.filter(signal=signal, type="referral").last()
    assert (last.data["from_step"], last.data["step"]) == ("agreed", "stopped")
    assert last.data["stopped_because"] == "signal_closed"
    listed = client.get(url(signal, "referrals")).json()
    assert [r["active"] for r in listed] == [False]


def test_with_nobody_answering_closing_links_a_connected_close_is_refused(setup) -> None:
    """signals.providers.closing_links fails closed: a referral that reached a first meeting
    vouches for a `connected_to_initiative` close only through initiatives' answer."""
    signal, client, initiative = setup
    propose(client, signal, initiative)
    for name in ("agreed", "contacted", "meeting_planned", "meeting_happened"):
        step(client, signal, name)

    with providers.closing_links.replaced(None):
        refused = close(client, signal, "connected_to_initiative")
    assert refused.status_code == 409 and refused.json()["code"] == "connected_needs_referral"
    assert close(client, signal, "connected_to_initiative").status_code == 200
