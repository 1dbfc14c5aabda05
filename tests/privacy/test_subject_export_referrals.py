"""The Art. 15 export names every initiative the resident was referred to and when their
contact details were handed over to it (AVG art. 15(1)(c): the recipients), in JSON and PDF."""

import pytest

from tests.factories import UserFactory
from tests.initiatives.factories import sharing_consent, worked_signal
from tests.initiatives.handover import contact_handed_over
from tests.privacy.rights import export_url, open_request, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_over(client_for):
    signal, _, _ = contact_handed_over(client_for)
    officer = UserFactory(privacy_officer=True)
    return signal, officer, client_for(officer)


def _export(client, signal, officer, **params):
    request = open_request(officer, signal.subject_id)
    return client.get(export_url(signal.subject_id), {"request": request, **params})


def test_the_export_names_the_initiative_the_contact_details_went_to(handed_over) -> None:
    signal, officer, client = handed_over
    [exported] = _export(client, signal, officer).json()["signals"]
    [referral] = exported["referrals"]
    assert referral["initiative"] == {"name": "Domstad Plusbus"}
    assert referral["step"] == "contacted"
    assert referral["contact_shared_at"] is not None
    assert referral["ended_at"] is None


def test_the_pdf_export_lists_the_referral_and_the_handover(handed_over) -> None:
    signal, officer, client = handed_over
    response = _export(client, signal, officer, format="pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Domstad Plusbus" in text
    assert "Initiatief benaderd" in text  # the step, in words


def test_the_consent_names_its_initiatives_by_name_never_by_id(client_for) -> None:
    """Consent records catalogue ids (ADR 32); the resident reads names, in JSON and PDF."""
    signal, initiative, _ = contact_handed_over(client_for)
    officer = UserFactory(privacy_officer=True)
    client = client_for(officer)
    [exported] = _export(client, signal, officer).json()["signals"]
    consent = exported["consent"]
    assert f"initiative:{initiative.pk}" in consent["recipients"]
    assert "Domstad Plusbus" in consent["recipient_names"]
    text = pdf_text(_export(client, signal, officer, format="pdf").content)
    assert str(initiative.pk) not in text.replace("\n", "")
    assert "Domstad Plusbus" in text


def test_any_initiative_reads_as_words(client_for) -> None:
    signal, _, _ = worked_signal(consent=sharing_consent("any"))
    officer = UserFactory(privacy_officer=True)
    [exported] = _export(client_for(officer), signal, officer).json()["signals"]
    assert (
        "elk initiatief dat het buurtteam samen met u kiest"
        in (exported["consent"]["recipient_names"])
    )
