"""Recording and reading measurements: consent, refusals, one per phase, the follow-up due date
in the queue, encryption at rest, the access log, and erasure with the rest (docs/adr/0030)."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.actors import SYSTEM
from audit.models import AccessLog
from outcomes.models import Measurement
from outcomes.services import MeasurementInput, measurement_record
from signals import services
from signals.models import Consent, ConsentPurpose, ConsentText, Status
from tests.factories import UserFactory, member_of
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

MEASURED = {"purposes": frozenset({ConsentPurpose.TEAM_CONTACT, ConsentPurpose.MEASURE_OUTCOME})}
# emotional: yes, more or less, no -> 2; social: no, no, more or less -> 3; total 5
ANSWERS = [
    {"item": "emptiness", "option": "yes"},
    {"item": "miss_people", "option": "more_or_less"},
    {"item": "rejected", "option": "no"},
    {"item": "rely_on", "option": "no"},
    {"item": "trust", "option": "no"},
    {"item": "close_to", "option": "more_or_less"},
]


@pytest.fixture
def team():
    return team_with_coverage()


@pytest.fixture
def worker(team):
    return member_of(team)


def url(signal) -> str:
    return f"/api/v1/signals/{signal.pk}/measurements"


def test_baseline_is_scored_encrypted_logged_and_due_for_follow_up(worker, client_for):
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    response = client_for(worker).post(
        url(signal), {"phase": "baseline", "answers": ANSWERS}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["score"] == {
        "subscores": {"emotional": 2, "social": 3},
        "total": 5,
        "band": "severely_lonely",
        "missing": [],
    }
    measurement = Measurement.objects.get(pk=body["id"])
    taken = measurement.taken_at.astimezone(timezone.get_default_timezone())
    due = measurement.follow_up_due_at.astimezone(timezone.get_default_timezone())
    assert (due.year * 12 + due.month) - (taken.year * 12 + taken.month) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM outcomes_measurement WHERE id = %s", [measurement.pk])
        stored = cursor.fetchone()[0]
    assert "more_or_less" not in stored and "emptiness" not in stored
    row = AccessLog.objects.get(object_type="outcomes.measurement", action="create")
    assert row.fields_touched == ["measurements.answers"]
    assert row.subject_id == signal.subject_id
    assert "more_or_less" not in json.dumps(row.details)


def test_without_consent_to_measure_only_a_refusal_can_be_recorded(worker, client_for):
    signal = make_signal(state=Status.CONTACTED, worker=worker)
    client = client_for(worker)
    refused = client.post(url(signal), {"phase": "baseline", "answers": ANSWERS}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "measurement_consent_missing"
    declined = client.post(url(signal), {"phase": "baseline", "declined": True}, format="json")
    assert declined.status_code == 201
    assert declined.json()["declined"] is True
    assert declined.json()["score"] is None
    assert declined.json()["follow_up_due_at"] is None
    row = AccessLog.objects.get(object_type="outcomes.measurement", action="create")
    assert row.fields_touched == []


def test_one_record_per_phase_and_follow_up_after_baseline(worker, client_for):
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    client = client_for(worker)
    early = client.post(url(signal), {"phase": "follow_up", "answers": ANSWERS}, format="json")
    assert early.json()["code"] == "baseline_required"
    assert client.post(url(signal), {"phase": "baseline", "answers": ANSWERS}, format="json")
    again = client.post(url(signal), {"phase": "baseline", "declined": True}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "measurement_exists"


def test_a_missing_item_gives_no_total(worker, client_for):
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    response = client_for(worker).post(
        url(signal), {"phase": "baseline", "answers": ANSWERS[:5]}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["score"]["total"] is None
    assert response.json()["score"]["subscores"] == {"emotional": 2, "social": None}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phase": "baseline"}, "answers"),
        ({"phase": "baseline", "declined": True, "answers": ANSWERS}, "answers"),
        ({"phase": "baseline", "answers": [{"item": "lonely", "option": "yes"}]}, "answers"),
        ({"phase": "baseline", "answers": [ANSWERS[0], ANSWERS[0]]}, "answers"),
        ({"phase": "follow_up", "answers": ANSWERS, "follow_up_on": "2099-01-01"}, "follow_up_on"),
    ],
)
def test_malformed_measurements_are_400(worker, client_for, body, field):
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    if body["phase"] == "follow_up":
        measurement_record(
            actor=worker, signal_id=signal.pk, measure=MeasurementInput("baseline", declined=True)
        )
    response = client_for(worker).post(url(signal), body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["details"]["fields"]


def test_only_the_team_records_and_reads(team, worker, client_for):
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    other = member_of(team_with_coverage("Buurtteam Oost", postcode="3584AA"))
    field_worker = UserFactory(field_worker=True)
    body = {"phase": "baseline", "answers": ANSWERS}
    assert client_for(other).post(url(signal), body, format="json").status_code == 404
    assert client_for(other).get(url(signal)).status_code == 404
    assert client_for(field_worker).post(url(signal), body, format="json").status_code == 403
    officer = UserFactory(privacy_officer=True)
    services.signal_restrict(signal_id=signal.pk, actor=officer)
    assert client_for(worker).post(url(signal), body, format="json").status_code == 423
    assert client_for(worker).get(url(signal)).status_code == 423
    assert not Measurement.objects.exists()


def test_reading_measurements_is_logged_and_shows_scores(worker, client_for):
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    client = client_for(worker)
    client.post(url(signal), {"phase": "baseline", "answers": ANSWERS}, format="json")
    listed = client.get(url(signal))
    assert listed.status_code == 200
    assert [m["score"]["total"] for m in listed.json()] == [5]
    row = AccessLog.objects.filter(object_type="outcomes.measurement", action="read").get()
    assert row.fields_touched == ["measurements.answers"]
    assert row.authorisation_rule == "team_membership"


def test_the_follow_up_shows_as_a_deadline_in_the_queue_until_it_is_recorded(worker, client_for):
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    client = client_for(worker)
    on = timezone.localdate() + timedelta(days=20)
    client.post(
        url(signal),
        {"phase": "baseline", "answers": ANSWERS, "follow_up_on": on.isoformat()},
        format="json",
    )
    row = client.get("/api/v1/queue").json()["results"][0]
    assert [d["kind"] for d in row["deadlines"]] == ["outcome_follow_up"]
    assert row["deadlines"][0]["due_at"].startswith(on.isoformat())
    assert row["deadlines"][0]["overdue"] is False
    client.post(url(signal), {"phase": "follow_up", "answers": ANSWERS}, format="json")
    assert client.get("/api/v1/queue").json()["results"][0]["deadlines"] == []


def test_a_follow_up_date_in_the_past_is_refused(worker):
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    from backend.errors import DomainError

    with pytest.raises(DomainError):
        measurement_record(
            actor=worker,
            signal_id=signal.pk,
            measure=MeasurementInput(
                "baseline", answers={"emptiness": "yes"}, follow_up_on=date(2000, 1, 1)
            ),
        )


def test_withdrawal_and_erasure_erase_the_answers_and_keep_the_refusal(worker, client_for):
    measured = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    declined = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    client = client_for(worker)
    client.post(url(measured), {"phase": "baseline", "answers": ANSWERS}, format="json")
    client.post(url(declined), {"phase": "baseline", "declined": True}, format="json")
    services.consent_withdraw(signal_id=measured.pk, actor=worker, reason="Belde.")
    services.signal_personal_data_erase(signal_id=declined.pk, actor=SYSTEM, reason="retention")
    gone = Measurement.objects.get(signal=measured)
    assert gone.answers == "" and gone.erased_at is not None
    kept = Measurement.objects.get(signal=declined)
    assert kept.declined is True and kept.erased_at is not None
    new = client.post(url(measured), {"phase": "follow_up", "declined": True}, format="json")
    assert new.json()["code"] == "signal_erased"


def test_consent_to_measure_is_recorded_at_intake_like_the_other_purposes(client_for):
    from signals.models import Signal
    from tests.signals.factories import intake_payload

    team_with_coverage()
    signaller = UserFactory(field_worker=True)
    body = intake_payload()
    body["consent"]["purposes"]["measure_outcome"] = True
    response = client_for(signaller).post("/api/v1/signals", body, format="json")
    assert response.status_code == 201, response.json()
    signal = Signal.objects.get(pk=response.json()["id"])
    assert signal.consent.purposes["measure_outcome"] is True
    omitted = intake_payload()
    response = client_for(signaller).post("/api/v1/signals", omitted, format="json")
    assert Signal.objects.get(pk=response.json()["id"]).consent.purposes["measure_outcome"] is False


def test_consent_to_measure_under_a_text_that_never_mentions_it_counts_as_not_given(
    worker, client_for
):
    """Found: the six answers were recorded under 2026-1, which never mentions the questions."""
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    text = ConsentText.objects.get(version="2026-1", language="nl")
    Consent.objects.filter(signal=signal).update(consent_text=text, consent_text_sha256=text.sha256)
    refused = client_for(worker).post(
        url(signal), {"phase": "baseline", "answers": ANSWERS}, format="json"
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "measurement_consent_missing"
    assert not Measurement.objects.exists()
