"""Intake through the API: consent first, an allow-list of fields, idempotent retries, and a
refusal that stores nothing and speaks Dutch or English."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from signals.models import Consent, ConsentText, Signal, SignalEvent, SignalNote
from tests.factories import UserFactory
from tests.fixtures import token_client
from tests.initiatives.factories import make_initiative
from tests.signals.factories import intake_payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/signals"


@pytest.fixture
def worker():
    return UserFactory(field_worker=True)


@pytest.fixture
def client(worker):
    return token_client(worker)


def stored() -> tuple[int, int, int, int]:
    return (
        Signal.objects.count(),
        Consent.objects.count(),
        SignalEvent.objects.count(),
        SignalNote.objects.count(),
    )


def with_consent(**changes) -> dict:
    body = intake_payload()
    body["consent"] = {**body["consent"], **changes}
    return body


# --- success ------------------------------------------------------------------------------------


def test_a_consented_signal_is_received(client, worker):
    body = intake_payload()
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["client_uuid"], data["status"]) == (body["client_uuid"], "received")
    assert uuid.UUID(data["id"]).version == 4
    signal = Signal.objects.get()
    assert str(signal.pk) == data["id"]
    assert (signal.created_by, signal.resident_first_name, signal.postcode) == (
        worker,
        "Wilhelmina",
        "3511AB",
    )
    assert list(signal.reasons.values_list("code", flat=True)) == ["few_contacts"]
    event = signal.events.get()
    assert (event.type, event.actor, event.to_status) == ("created", worker, "received")


def test_the_consent_record_is_demonstrable(client, worker):
    text = ConsentText.objects.get(version="2026-3", language="en")
    initiative = make_initiative(name="Domstad Plusbus")
    before = timezone.now()
    body = with_consent(
        given_by="representative",
        representative_relation="dochter",
        method="signed_on_device",
        purposes={"team_contact": True, "share_with_initiative": True},
        initiatives=[str(initiative.pk).upper()],
        consent_text_id=text.pk,
        consent_text_sha256=text.sha256,
    )
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    consent = Consent.objects.get(signal_id=response.json()["id"])
    assert consent.given_by == "representative"
    assert consent.representative_relation == "dochter"
    assert consent.method == "signed_on_device"
    assert consent.purposes == {
        "team_contact": True,
        "share_with_initiative": True,
        "measure_outcome": False,
    }
    assert consent.recipients == ["neighbourhood_team", f"initiative:{initiative.pk}"]
    assert (consent.consent_text, consent.consent_text_sha256) == (text, text.sha256)
    assert consent.recorded_by == worker
    assert before <= consent.recorded_at <= timezone.now()
    assert consent.given_at == parse_datetime(body["consent"]["given_at"])


def test_the_plain_consent_covers_team_contact_only(client):
    response = client.post(URL, intake_payload(), format="json")
    consent = Consent.objects.get(signal_id=response.json()["id"])
    assert consent.purposes == {
        "team_contact": True,
        "share_with_initiative": False,
        "measure_outcome": False,
    }
    assert consent.recipients == ["neighbourhood_team"]
    assert (consent.given_by, consent.method) == ("resident", "verbal_in_person")


def test_an_observation_of_exactly_1000_characters_is_accepted(client):
    response = client.post(URL, intake_payload(observation="x" * 1000), format="json")
    assert response.status_code == 201, response.content


# --- idempotency -------------------------------------------------------------------------------


def test_a_retry_with_the_same_body_returns_the_same_signal(client):
    body = intake_payload()
    first = client.post(URL, body, format="json")
    again = client.post(URL, body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert stored()[:3] == (1, 1, 1)


def test_the_same_client_uuid_with_another_body_is_a_conflict(client):
    body = intake_payload()
    first = client.post(URL, body, format="json")
    before = stored()
    changed = {**body, "observation": "Iets anders gezien."}
    response = client.post(URL, changed, format="json")
    assert response.status_code == 409
    body_409 = response.json()
    assert body_409["code"] == "client_uuid_conflict"
    assert first.json()["id"] not in response.content.decode()
    assert stored() == before
    assert Signal.objects.get().observation == body["observation"]


def test_another_users_client_uuid_is_never_returned(client, worker):
    body = intake_payload()
    first = client.post(URL, body, format="json").json()
    someone_else = UserFactory(field_worker=True)
    response = token_client(someone_else).post(URL, body, format="json")
    assert response.status_code == 201
    assert response.json()["id"] != first["id"]
    mine, theirs = Signal.objects.get(pk=first["id"]), Signal.objects.get(pk=response.json()["id"])
    assert (mine.created_by, theirs.created_by) == (worker, someone_else)
    assert mine.client_uuid == theirs.client_uuid
    # and with another body it is not a conflict either: it is simply a different signaller's
    other = token_client(UserFactory(field_worker=True)).post(
        URL, {**body, "observation": "Anders."}, format="json"
    )
    assert other.status_code == 201
    assert Signal.objects.count() == 3


# --- refusals: each stores nothing and speaks both languages -----------------------------------


def _unknown_consent_text() -> dict:
    return with_consent(consent_text_id=ConsentText.objects.order_by("-pk").first().pk + 1000)


def _without(key: str) -> dict:
    body = intake_payload()
    del body[key]
    return body


def _nested(section: str, **extra) -> dict:
    body = intake_payload()
    body[section] = {**body[section], **extra}
    return body


def _future_consent() -> dict:
    return with_consent(given_at=(timezone.now() + timedelta(hours=1)).isoformat())


# name -> (body factory, error code, path into details.fields, field error code)
REFUSALS = {
    "unknown top-level field": (
        lambda: intake_payload(date_of_birth="1940-01-01"),
        "validation_error",
        ["date_of_birth"],
        "unknown_field",
    ),
    "unknown resident field": (
        lambda: _nested("resident", bsn="123456782"),
        "validation_error",
        ["resident", "bsn"],
        "unknown_field",
    ),
    "unknown consent field": (
        lambda: _nested("consent", foo="bar"),
        "validation_error",
        ["consent", "foo"],
        "unknown_field",
    ),
    "unknown purpose": (
        lambda: with_consent(purposes={"team_contact": True, "marketing": True}),
        "validation_error",
        ["consent", "purposes", "marketing"],
        "unknown_field",
    ),
    "missing consent": (lambda: _without("consent"), "validation_error", ["consent"], "required"),
    "no consent for contact": (
        lambda: with_consent(purposes={"team_contact": False, "share_with_initiative": False}),
        "consent_required",
        None,
        None,
    ),
    "unknown consent text": (_unknown_consent_text, "unknown_consent_text", None, None),
    "wrong consent text hash": (
        lambda: with_consent(consent_text_sha256="0" * 64),
        "consent_text_mismatch",
        None,
        None,
    ),
    "unknown reason code": (
        lambda: intake_payload(reasons=["few_contacts", "bored"]),
        "unknown_reason_code",
        None,
        None,
    ),
    "observation too long": (
        lambda: intake_payload(observation="x" * 1001),
        "validation_error",
        ["observation"],
        "max_length",
    ),
    "bad postcode": (
        lambda: _nested("address", postcode="35111"),
        "validation_error",
        ["address", "postcode"],
        "invalid",
    ),
    # Issue 18 part 7: checked as written, before upper case turns these into ASCII
    "postcode with a dotless i": (
        lambda: _nested("address", postcode="3511\u0131b"),
        "validation_error",
        ["address", "postcode"],
        "invalid",
    ),
    "postcode with the ff ligature": (
        lambda: _nested("address", postcode="3511\ufb00"),
        "validation_error",
        ["address", "postcode"],
        "invalid",
    ),
    "consent date without a time": (
        lambda: with_consent(given_at=timezone.localdate().isoformat()),
        "validation_error",
        ["consent", "given_at"],
        "invalid",
    ),
    "consent moment without an offset": (
        lambda: with_consent(
            given_at=(timezone.now() - timedelta(minutes=3)).replace(tzinfo=None).isoformat()
        ),
        "validation_error",
        ["consent", "given_at"],
        "invalid",
    ),
    "consent given in the future": (
        _future_consent,
        "validation_error",
        ["consent", "given_at"],
        "future",
    ),
    "representative without relation": (
        lambda: with_consent(given_by="representative"),
        "validation_error",
        ["consent", "representative_relation"],
        "required",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_submission_stores_nothing(client, case):
    make_body, code, path, field_code = REFUSALS[case]
    body = make_body()
    nl = client.post(URL, body, format="json")
    en = client.post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert nl.status_code == en.status_code == 400, nl.content
    nl_body, en_body = nl.json(), en.json()
    assert nl_body["code"] == en_body["code"] == code
    assert nl_body["message"] and en_body["message"]
    assert nl_body["message"] != en_body["message"]
    if path:
        errors = nl_body["details"]["fields"]
        for key in path:
            errors = errors[key]
        assert errors[0]["code"] == field_code
    assert stored() == (0, 0, 0, 0)


def test_refusal_messages_are_dutch_by_default_and_english_on_request(client):
    body = with_consent(purposes={"team_contact": False, "share_with_initiative": False})
    nl = client.post(URL, body, format="json").json()["message"]
    en = client.post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert "toestemming" in nl
    assert "consent" in en
    invalid = intake_payload(observation="x" * 1001)
    assert client.post(URL, invalid, format="json").json()["message"] == "De invoer is ongeldig."
    english = client.post(URL, invalid, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["message"] == "The input is invalid."


def test_the_unknown_reason_code_is_named(client):
    response = client.post(URL, intake_payload(reasons=["bored", "few_contacts"]), format="json")
    assert response.json()["details"] == {"unknown": ["bored"]}
    assert "bored" in response.json()["message"]
    assert stored() == (0, 0, 0, 0)


def test_a_refused_retry_leaves_the_first_signal_alone(client):
    body = intake_payload()
    client.post(URL, body, format="json")
    before = stored()
    smuggled = {**body, "status": "closed"}
    response = client.post(URL, smuggled, format="json")
    assert response.status_code == 400
    assert response.json()["details"]["fields"]["status"][0]["code"] == "unknown_field"
    assert stored() == before
    assert Signal.objects.get().status == "received"
