"""Service-level side effects of intake and of consent withdrawal."""

import dataclasses

import pytest

from signals import services
from signals.models import (
    Consent,
    ConsentPurpose,
    ConsentWithdrawal,
    Signal,
    SignalEvent,
    SignalNote,
    Status,
)
from signals.personal_data import PERSONAL_FIELDS
from tests.factories import UserFactory, member_of
from tests.signals.factories import intake_input, make_signal, team_with_coverage
from tests.worker import queued_task_names

pytestmark = pytest.mark.django_db


def test_intake_writes_signal_consent_and_event_then_enqueues_routing_on_commit(
    broker, django_capture_on_commit_callbacks
):
    signaller = UserFactory(field_worker=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = services.signal_create(actor=signaller, intake=intake_input())
        assert queued_task_names() == []  # nothing leaves before the commit
    assert result.created
    signal = result.signal
    assert signal.status == Status.RECEIVED
    assert signal.postcode == "3511AB"  # normalised
    assert list(signal.reasons.values_list("code", flat=True)) == ["few_contacts"]
    event = signal.events.get()
    assert (event.type, event.actor, event.to_status) == (
        SignalEvent.Type.CREATED,
        signaller,
        Status.RECEIVED,
    )
    consent = Consent.objects.get(signal=signal)
    assert consent.recorded_by == signaller
    assert consent.purposes == {
        "team_contact": True,
        "share_with_initiative": False,
        "measure_outcome": False,
    }
    assert consent.recipients == ["neighbourhood_team"]
    assert consent.consent_text_sha256 == consent.consent_text.sha256

    for callback in callbacks:
        callback()
    assert "signals.route_signal" in queued_task_names()


def test_intake_repeat_is_idempotent_per_user():
    signaller = UserFactory(field_worker=True)
    intake = intake_input()
    first = services.signal_create(actor=signaller, intake=intake)
    again = services.signal_create(actor=signaller, intake=intake)
    assert not again.created and again.signal.pk == first.signal.pk
    other = services.signal_create(actor=UserFactory(field_worker=True), intake=intake)
    assert other.created and other.signal.pk != first.signal.pk
    assert Signal.objects.count() == 2


def test_consent_for_sharing_names_the_recipients():
    signaller = UserFactory(field_worker=True)
    consent = {
        "purposes": frozenset({ConsentPurpose.TEAM_CONTACT, ConsentPurpose.SHARE_WITH_INITIATIVE}),
        "initiatives": ("any",),
    }
    signal = services.signal_create(actor=signaller, intake=intake_input(consent=consent)).signal
    assert signal.consent.recipients == ["neighbourhood_team", "initiative:any"]
    assert signal.consent.purposes == {
        "team_contact": True,
        "share_with_initiative": True,
        "measure_outcome": False,
    }


def test_withdrawal_stops_the_workflow_erases_personal_data_and_tells_the_team():
    team = team_with_coverage()
    worker = member_of(team)
    signal = make_signal(state=Status.CONTACTED, worker=worker)
    services.signal_note_add(signal_id=signal.pk, actor=worker, body="Woont alleen sinds 2020.")

    withdrawn = services.consent_withdraw(
        signal_id=signal.pk, actor=signal.created_by, reason="bewoner belde"
    )
    assert withdrawn.status == Status.WITHDRAWN
    for field in PERSONAL_FIELDS:
        assert getattr(withdrawn, field) in ("", None), field
    assert withdrawn.personal_data_erased_at is not None
    # Non-personal facts stay for anonymous figures.
    assert withdrawn.neighbourhood is not None and withdrawn.target_group == "elderly_at_home"
    assert list(withdrawn.reasons.values_list("code", flat=True)) == ["few_contacts"]
    assert set(SignalNote.objects.filter(signal=signal).values_list("body", flat=True)) == {""}
    types = list(withdrawn.events.order_by("id").values_list("type", flat=True))
    assert types[-2:] == [SignalEvent.Type.CONSENT_WITHDRAWN, SignalEvent.Type.PERSONAL_DATA_ERASED]
    withdrawal = ConsentWithdrawal.objects.get(consent__signal=signal)
    assert withdrawal.withdrawn_by == signal.created_by
    assert withdrawn.events.get(type=SignalEvent.Type.CONSENT_WITHDRAWN).data == {
        "consent_id": str(signal.consent.pk)
    }


def test_withdrawing_twice_is_refused():
    signal = make_signal()
    services.consent_withdraw(signal_id=signal.pk, actor=signal.created_by)
    with pytest.raises(Exception, match="already_withdrawn"):
        services.consent_withdraw(signal_id=signal.pk, actor=signal.created_by)


def test_withdrawal_over_the_api_for_the_signaller_and_404_for_another(client_for):
    signal = make_signal()
    stranger = UserFactory(field_worker=True)
    assert (
        client_for(stranger)
        .post(f"/api/v1/signals/{signal.pk}/withdraw-consent", {}, format="json")
        .status_code
        == 404
    )
    response = client_for(signal.created_by).post(
        f"/api/v1/signals/{signal.pk}/withdraw-consent", {"reason": "op verzoek"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_the_team_gives_a_reason_to_withdraw_through_the_api_the_signaller_need_not(client_for):
    """Attack review of issue 18: the desk's withdrawal needs a reason (finding 6), but a team
    member's app token erased on one call with `{}`. Everyone but the signaller says how the
    withdrawal reached them; the signaller records the resident's own word as easily as consent
    was given."""
    team = team_with_coverage()
    member = member_of(team)
    signal = make_signal(state=Status.ROUTED, worker=member)
    url = f"/api/v1/signals/{signal.pk}/withdraw-consent"
    for body in ({}, {"reason": "   "}):
        refused = client_for(member).post(url, body, format="json")
        assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    signal.refresh_from_db()
    assert signal.status == Status.ROUTED and signal.resident_first_name
    assert not ConsentWithdrawal.objects.exists()
    given = client_for(member).post(url, {"reason": "Belde zelf."}, format="json")
    assert given.status_code == 200

    other = make_signal()
    own = client_for(other.created_by).post(
        f"/api/v1/signals/{other.pk}/withdraw-consent", {}, format="json"
    )
    assert own.status_code == 200


def test_the_order_of_reason_codes_does_not_make_a_retry_a_new_signal():
    signaller = UserFactory(field_worker=True)
    first = intake_input(reasons=["few_contacts", "recently_moved"])
    again = dataclasses.replace(first, reasons=("recently_moved", "few_contacts"))
    created = services.signal_create(actor=signaller, intake=first)
    repeated = services.signal_create(actor=signaller, intake=again)
    assert not repeated.created and repeated.signal.pk == created.signal.pk
