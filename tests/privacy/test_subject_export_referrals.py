"""The Art. 15 export names every initiative the resident was referred to and when their
contact details were handed over to it (AVG art. 15(1)(c): the recipients), in JSON and PDF."""

import pytest

from tests.factories import UserFactory
from tests.initiatives.factories import make_initiative, sharing_consent, worked_signal
from tests.initiatives.test_referrals import propose, step
from tests.privacy.rights import export_url, open_request, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_over(client_for):
    initiative = make_initiative(name="Domstad Plusbus", slug="domstad-plusbus")
    signal, member, _ = worked_signal(consent=sharing_consent(initiative))
    team = client_for(member)
    propose(team, signal, initiative)
    step(team, signal, "agreed")
    assert step(team, signal, "contacted", share_contact=True).status_code == 200
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
