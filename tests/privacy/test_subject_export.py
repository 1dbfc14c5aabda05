"""The Art. 15 export through the API, JSON and PDF: the resident's data, logged in the same
request, in Dutch or English, with staff ids only on request, also for a restricted signal."""

import pytest

from audit.models import AccessLog, Action, Purpose
from privacy.models import SubjectRequest
from signals.personal_data import PERSONAL_FIELDS
from tests.privacy.rights import (
    NOTE,
    act,
    case,
    export,
    export_url,
    pdf_text,
    requested,
)

pytestmark = pytest.mark.django_db


# --- export -----------------------------------------------------------------------------------


def test_export_gives_the_residents_data_and_is_logged_in_the_same_request(client_for):
    c = case()
    access_request = requested(c)
    response = client_for(c.officer).get(
        export_url(c.signal.subject_id), {"request": access_request}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["subject_id"] == str(c.signal.subject_id)
    [signal] = body["signals"]
    assert signal["personal_data"] == {
        "first_name": "Wilhelmina",
        "phone": "+31 6 12345678",
        "email": "wilhelmina@example.test",
        "postcode": "3511AB",
        "house_number": 3,
        "house_number_addition": "",
        "observation": "Zit vaak alleen op het bankje bij de flat.",
    }
    assert signal["target_group"] == "elderly_at_home"
    assert [r["code"] for r in signal["reasons"]] == ["few_contacts"]
    assert signal["status"] == "acknowledged"
    assert signal["source_organisation"] == {"name": "Woningcorporatie Voorbeeld"}
    assert signal["team"] == {"name": c.team.name}
    assert [e["type"] for e in signal["status_history"]] == [
        "created",
        "routed",
        "transitioned",
        "note_added",
    ]
    assert [n["body"] for n in signal["notes"]] == [NOTE]
    consent = signal["consent"]
    assert consent["recipients"] == ["neighbourhood_team"]
    assert {p["code"]: p["granted"] for p in consent["purposes"]} == {
        "team_contact": True,
        "share_with_initiative": False,
        "measure_outcome": False,
    }
    assert consent["consent_text"]["version"] == "2026-3"
    assert consent["consent_text"]["sha256"] == c.signal.consent.consent_text_sha256
    assert signal["retention"]["rule"] == "while_open"
    # The set-up's services write rows too (intake, transitions, the note: ADR 41); the team's
    # read and the officer's registration are the ones this test looks at.
    history = body["access_history"]
    [registration] = [r for r in history if r["roles"] == ["privacy_officer"]]
    team_read = [r for r in history if r["action"] == "read" and r["roles"] == ["team_member"]][-1]
    assert (registration["action"], registration["roles"]) == ("create", ["privacy_officer"])
    assert team_read["action"] == "read"
    assert team_read["roles"] == ["team_member"]
    assert team_read["organisation"] == c.worker.organisation.name
    assert team_read["purpose"] == "signal_handling"

    # Staff are left out by default: no ids, no names, no email addresses.
    text = response.content.decode()
    assert "actor_id" not in text and "author_id" not in text
    for staff in (c.worker, c.signaller):
        assert str(staff.pk) not in text
        assert staff.full_name not in text and staff.email not in text

    row = AccessLog.objects.get(action=Action.EXPORT)
    assert row.actor_id == c.officer.pk
    assert row.actor_roles == ["privacy_officer"]
    assert row.subject_id == c.signal.subject_id
    assert row.purpose == Purpose.DATA_SUBJECT_REQUEST
    assert row.authorisation_rule == "capability:accounts.handle_privacy_requests"
    assert row.object_id == str(c.signal.pk)
    assert row.consent_id == str(c.signal.consent.pk)
    assert set(PERSONAL_FIELDS) | {"notes.body"} == set(row.fields_touched)
    assert row.details["format"] == "json" and row.details["include_staff"] is False
    assert row.details["subject_request_id"] == access_request
    # The export completes nothing: the officer closes the request once it was sent.
    assert SubjectRequest.objects.get(pk=access_request).status == "open"


def test_export_with_staff_ids_on_request(client_for):
    c = case()
    body = export(client_for(c.officer), c, include_staff="true").json()
    [signal] = body["signals"]
    assert body["include_staff"] is True
    reads = [r for r in body["access_history"] if r["action"] == "read"]
    assert reads[-1]["actor_id"] == str(c.worker.pk)
    assert signal["notes"][0]["author_id"] == str(c.worker.pk)
    assert signal["status_history"][0]["actor_id"] == str(c.signaller.pk)
    assert c.worker.full_name not in str(body)
    assert AccessLog.objects.get(action=Action.EXPORT).details["include_staff"] is True


def test_export_as_pdf_is_a_readable_pdf_with_the_residents_data(client_for):
    c = case()
    response = export(client_for(c.officer), c, format="pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert str(c.signal.subject_id) in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    text = pdf_text(response.content)
    for expected in (
        "Inzage in uw gegevens",
        "Wilhelmina",
        "+31 6 12345678",
        "Zit vaak alleen op het bankje bij de flat.",
        NOTE,
        "Thuiswonende oudere",
        "Woningcorporatie Voorbeeld",
        "Contact door het buurtteam",
        "Wie heeft uw gegevens ingezien",
        "Teamlid",
    ):
        assert expected in text, expected
    assert c.worker.full_name not in text
    assert AccessLog.objects.get(action=Action.EXPORT).details["format"] == "pdf"


def test_pdf_escapes_free_text_and_prints_non_latin1_names(client_for):
    c = case(note=False)
    from signals import services

    services.signal_note_add(signal_id=c.signal.pk, actor=c.worker, body="<b>niet vet</b> & Şükrü")
    response = export(client_for(c.officer), c, format="pdf")
    # Characters outside the ASCII subset are shown as separate strings: compare without spaces.
    assert "<b>nietvet</b>&Şükrü" in "".join(pdf_text(response.content).split())


def _reads_english(signal) -> None:
    """The resident was shown the English consent text (docs/adr/0048: their language)."""
    from signals.models import Consent, ConsentText

    text = ConsentText.objects.filter(language="en").first()
    assert text is not None, "the seeded English consent text"
    Consent.objects.filter(signal=signal).update(consent_text=text)


def test_export_is_in_the_residents_language_not_the_officers(client_for):
    c = case()
    _reads_english(c.signal)
    response = client_for(c.officer).get(
        export_url(c.signal.subject_id),
        {"format": "pdf", "request": requested(c)},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    text = pdf_text(response.content)
    assert "Your personal data" in text and "Inzage in uw gegevens" not in text
    assert "Viewed" in text and "Following up a signal" in text  # the look, in words
    row = AccessLog.objects.get(action=Action.EXPORT)
    assert row.details["language"] == "en"


def test_a_dutch_residents_export_stays_dutch_for_an_english_officer(client_for):
    c = case()
    response = client_for(c.officer).get(
        export_url(c.signal.subject_id), {"request": requested(c)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.json()
    assert body["language"] == "nl"
    [look] = [x for x in body["looks"] if x["action"] == "read"]
    assert look["action_text"] == "Ingezien"
    assert look["purpose_text"] == "Opvolgen van een signaal"
    assert look["outcome_text"] == "Gelukt"


def test_export_refuses_unknown_query_parameters_and_formats(client_for):
    c = case(team_read=False)
    client = client_for(c.officer)
    unknown = export(client, c, staff="true")
    assert unknown.status_code == 400 and unknown.json()["code"] == "validation_error"
    xml = export(client, c, format="xml")
    assert xml.status_code == 406 and xml["Content-Type"] == "application/json"
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_a_restricted_signal_can_still_be_exported(client_for):
    c = case()
    client = client_for(c.officer)
    restrict = act(client, c, "restriction", reason="Betwist")
    assert restrict.status_code == 200
    response = export(client, c)
    assert response.status_code == 200
    assert response.json()["signals"][0]["restricted_at"] is not None
    assert response.json()["signals"][0]["personal_data"]["first_name"] == "Wilhelmina"
