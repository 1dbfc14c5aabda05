"""A resident's measurements in their Art. 15 export (JSON and PDF), logged as disclosed, and
erased by the privacy officer's erasure with the rest (docs/adr/0013, 0028)."""

import pytest

from audit.models import AccessLog, Action
from outcomes.models import Measurement
from outcomes.services import MeasurementInput, measurement_record
from signals.models import ConsentPurpose, Status
from tests.factories import member_of
from tests.privacy.rights import export_url, open_request, pdf_text
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

MEASURED = {"purposes": frozenset({ConsentPurpose.TEAM_CONTACT, ConsentPurpose.MEASURE_OUTCOME})}
ANSWERS = {"emptiness": "yes", "miss_people": "no", "rejected": "no", "rely_on": "no",
           "trust": "yes", "close_to": "more_or_less"}  # fmt: skip


@pytest.fixture
def measured():
    from tests.factories import UserFactory

    worker = member_of(team_with_coverage())
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    measurement_record(
        actor=worker, signal_id=signal.pk, measure=MeasurementInput("baseline", answers=ANSWERS)
    )
    return signal, UserFactory(privacy_officer=True)


def test_the_export_holds_the_questions_and_answers_and_logs_them(measured, client_for):
    signal, officer = measured
    request = open_request(officer, signal.subject_id)
    client = client_for(officer)
    body = client.get(export_url(signal.subject_id), {"request": request}).json()
    [measurement] = body["signals"][0]["measurements"]
    assert measurement["phase"] == "baseline" and measurement["total_score"] == 3
    assert measurement["answers"][0] == {
        "item": "emptiness",
        "question": "Ik ervaar een leegte om me heen.",
        "answer": "Ja",
    }
    row = AccessLog.objects.get(action=Action.EXPORT)
    assert "measurements.answers" in row.fields_touched
    pdf = client.get(
        export_url(signal.subject_id), {"request": request, "format": "pdf"},
        HTTP_ACCEPT="application/pdf",
    )  # fmt: skip
    text = pdf_text(pdf.content)
    assert "Ik mis mensen om me heen." in text and "Min of meer" in text


def test_the_officers_erasure_erases_the_answers(measured, client_for):
    signal, officer = measured
    request = open_request(officer, signal.subject_id, kind="erasure")
    response = client_for(officer).post(
        f"/api/v1/privacy/subjects/{signal.subject_id}/erasure",
        {"request": request, "reason": "Schriftelijk verzoek."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    measurement = Measurement.objects.get(signal=signal)
    assert measurement.answers == "" and measurement.erased_at is not None
    row = AccessLog.objects.get(action=Action.DELETE)
    assert "measurements.answers" in row.fields_touched
