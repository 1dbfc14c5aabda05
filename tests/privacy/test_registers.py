"""The consent register (JSON and CSV) and the Art. 30 processing register (JSON and Markdown):
complete where they should be, generated from code and settings, and free of personal values."""

import csv
import io

import pytest
from django.urls import reverse

from audit.models import AccessLog, Action, Purpose
from privacy.models import RetentionPolicy
from privacy.registers import CONSENT_REGISTER_COLUMNS
from signals import services
from signals.models import ConsentPurpose, Status
from signals.personal_data import PERSONAL_FIELDS
from tests.privacy.rights import NOTE, case

pytestmark = pytest.mark.django_db

CONSENTS = reverse("privacy-consent-register")
PROCESSING = reverse("privacy-processing-register")


def personal_values(c) -> list[str]:
    """Everything about the resident and the staff that must never be in a register."""
    # The intake values of tests.signals.factories.intake_payload (erased on withdrawal).
    return [
        "Wilhelmina",
        "+31 6 12345678",
        "wilhelmina@example.test",
        "3511AB",
        "Zit vaak alleen op het bankje bij de flat.",
        NOTE,
        "Dochter",
        "Wil geen contact meer",
        c.worker.full_name,
        c.worker.email,
        c.signaller.full_name,
        c.signaller.email,
        c.officer.full_name,
    ]


@pytest.fixture
def two_consents():
    first = case(state=Status.CLOSED)
    consent = first.signal.consent
    # A representative's relation and a withdrawal reason are free text about the resident.
    type(consent).objects.filter(pk=consent.pk).update(
        given_by="representative", representative_relation="Dochter"
    )
    services.consent_withdraw(
        signal_id=first.signal.pk, actor=first.signaller, reason="Wil geen contact meer"
    )
    first.signal.refresh_from_db()
    second = case(note=False, team_read=False)
    return first, second


def test_consent_register_lists_every_consent_without_personal_values(client_for, two_consents):
    first, second = two_consents
    response = client_for(first.officer).get(CONSENTS)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    results = response.json()["results"]
    assert [r["subject_id"] for r in results] == [
        str(second.signal.subject_id),
        str(first.signal.subject_id),
    ]
    entry = results[1]
    assert set(entry) == set(CONSENT_REGISTER_COLUMNS)
    consent = first.signal.consent
    assert entry["consent_id"] == str(consent.pk)
    assert entry["method"] == "verbal_in_person" and entry["given_by"] == "representative"
    assert entry["purposes"] == {
        "team_contact": True,
        "share_with_initiative": False,
        "measure_outcome": False,
    }
    assert entry["recipients"] == ["neighbourhood_team"]
    assert entry["consent_text_version"] == "2026-3"
    assert entry["consent_text_language"] == "nl"
    assert entry["consent_text_sha256"] == consent.consent_text.sha256
    assert entry["recorded_by_organisation"] == "Woningcorporatie Voorbeeld"
    assert entry["withdrawn_at"] is not None
    assert results[0]["withdrawn_at"] is None

    text = response.content.decode()
    for value in personal_values(first) + personal_values(second):
        assert value not in text, value

    row = AccessLog.objects.get(object_type="signals.consent")
    assert row.action == Action.LIST and row.purpose == Purpose.AUDIT
    assert row.actor_id == first.officer.pk
    assert row.details == {"format": "json", "register": "consent"}


def test_consent_register_pages_with_a_cursor(client_for, two_consents):
    first, _ = two_consents
    client = client_for(first.officer)
    page = client.get(CONSENTS, {"page_size": 1}).json()
    assert len(page["results"]) == 1 and page["next"]
    rest = client.get(page["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None


def test_consent_register_as_csv(client_for, two_consents):
    first, second = two_consents
    response = client_for(first.officer).get(CONSENTS, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == CONSENT_REGISTER_COLUMNS
    assert {r["subject_id"] for r in rows} == {
        str(first.signal.subject_id),
        str(second.signal.subject_id),
    }
    assert {r["purposes"] for r in rows} == {
        "team_contact=yes;measure_outcome=no;share_with_initiative=no"
    }
    for value in personal_values(first) + personal_values(second):
        assert value not in text, value
    row = AccessLog.objects.get(object_type="signals.consent")
    assert row.action == Action.EXPORT and row.details["format"] == "csv"


def test_csv_cells_cannot_become_formulas(client_for):
    c = case(note=False, team_read=False)
    # Intake takes catalogue ids only now (docs/adr/0032); a free-text name recorded before
    # that is still in the register.
    consent = c.signal.consent
    type(consent).objects.filter(pk=consent.pk).update(
        recipients=["neighbourhood_team", 'initiative:=HYPERLINK("http://x")']
    )
    response = client_for(c.officer).get(CONSENTS, {"format": "csv"})
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    cells = [r["recipients"] for r in rows if "HYPERLINK" in r["recipients"]]
    assert cells == ['neighbourhood_team;initiative:=HYPERLINK("http://x")']
    assert not any(cell.startswith("=") for r in rows for cell in r.values())


def test_consent_register_refuses_unknown_parameters(client_for):
    c = case(note=False, team_read=False)
    client = client_for(c.officer)
    assert client.get(CONSENTS, {"subject": str(c.signal.subject_id)}).status_code == 400
    bad_format = client.get(CONSENTS, {"format": "xlsx"})
    assert bad_format.status_code == 406 and bad_format.json()["code"] == "not_acceptable"
    assert not AccessLog.objects.filter(object_type="signals.consent").exists()


def test_processing_register_is_generated_from_code_and_settings(client_for):
    c = case(state=Status.CLOSED)
    RetentionPolicy.objects.filter(status="closed").update(erase_after_days=200)
    response = client_for(c.officer).get(PROCESSING)

    assert response.status_code == 200
    register = response.json()
    fields = [f["field"] for f in register["personal_data"]["resident"]]
    assert fields == [f"signals.Signal.{name}" for name in PERSONAL_FIELDS] + [
        "signals.SignalNote.body",
        "outcomes.Measurement.answers",
    ]
    purposes = {p["code"] for p in register["purposes"]}
    assert set(ConsentPurpose.values) <= purposes
    assert {p.value for p in Purpose} <= purposes
    retention = {r["status"]: r for r in register["retention"]["signals"]}
    assert set(retention) == {s.value for s in Status}
    assert retention["closed"]["erase_after_days"] == 200
    assert retention["declined"]["erase_after_days"] == 90
    assert retention["withdrawn"]["erase_after_days"] == 0
    assert retention["routed"]["erase_after_days"] is None
    [fcm] = register["transfers_outside_eea"]
    assert fcm["data"] == ["body", "id", "tag", "title", "type", "visibility"]
    assert fcm["active"] is False  # the test settings use the console gateway
    security = register["security_measures"]
    assert security["encryption_at_rest"]["keys_configured"] == 1
    assert security["second_factor"]["field_workers_exempt"] is True

    text = response.content.decode()
    for value in personal_values(c):
        assert value not in text, value


def test_processing_register_follows_the_settings(client_for, settings):
    c = case(note=False, team_read=False)
    settings.PUSH_GATEWAY = "fcm"
    settings.PRIVACY_CONTROLLER_NAME = "Gemeente Utrecht"
    register = client_for(c.officer).get(PROCESSING).json()
    assert register["transfers_outside_eea"][0]["active"] is True
    assert register["controller"]["name"] == "Gemeente Utrecht"


def test_processing_register_as_markdown(client_for):
    c = case(note=False, team_read=False)
    response = client_for(c.officer).get(PROCESSING, {"format": "md"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    assert text.startswith("# Verwerkingsregister (AVG art. 30)")
    assert "| closed | 365 | closed_at |" in text
    assert "`signals.Signal.observation`" in text
    assert c.signal.resident_first_name not in text


def test_processing_register_in_english(client_for):
    c = case(note=False, team_read=False)
    response = client_for(c.officer).get(PROCESSING, {"format": "md"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.content.decode().startswith("# Record of processing (GDPR art. 30)")
