"""An erasure answers with every initiative that already received the resident's contact
details, with the date (AVG art. 19; issue 18, finding 6), and so does the privacy officer's
view of the requests, in the API and the workspace."""

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Referral
from tests.factories import UserFactory
from tests.initiatives.factories import make_initiative, worked_signal
from tests.initiatives.handover import contact_handed_over
from tests.privacy.rights import action_url, open_request
from tests.workspace.helpers import workspace_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_over(client_for):
    signal, initiative, _ = contact_handed_over(client_for)
    make_initiative(name="Join Us", slug="join-us")  # never received anything
    return signal, initiative, UserFactory(privacy_officer=True)


def _expected(signal, initiative) -> list[dict]:
    referral = Referral.objects.get(signal=signal)
    return [
        {
            "initiative_id": str(initiative.pk),
            "name": "Domstad Plusbus",
            "received_at": timezone.localtime(referral.contact_shared_at).isoformat(),
            "signal_id": str(signal.pk),
        }
    ]


def test_the_erasure_answer_names_the_initiative_and_the_date(client_for, handed_over):
    signal, initiative, officer = handed_over
    request = open_request(officer, signal.subject_id, "erasure")
    response = client_for(officer).post(
        action_url("erasure", signal.subject_id),
        {"request": request, "reason": "Verzoek per brief"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "completed"
    assert body["recipients"] == _expected(signal, initiative)
    signal.refresh_from_db()
    assert signal.personal_data_erased_at is not None


def test_the_request_list_names_the_recipients_of_each_resident(client_for, handed_over):
    signal, initiative, officer = handed_over
    open_request(officer, signal.subject_id, "erasure")
    other, _, _ = worked_signal(team_name="Buurtteam Zuidwest")
    open_request(officer, other.subject_id, "access")

    rows = client_for(officer).get(reverse("privacy-requests")).json()["results"]
    by_subject = {row["subject_id"]: row["recipients"] for row in rows}
    assert by_subject == {
        str(signal.subject_id): _expected(signal, initiative),
        str(other.subject_id): [],
    }


def test_the_workspace_requests_page_names_the_recipients(client, handed_over):
    signal, _, officer = handed_over
    open_request(officer, signal.subject_id, "erasure")
    html = workspace_login(client, officer).get("/werkruimte/privacy/verzoeken/").content.decode()
    assert "Contactgegevens al ontvangen door" in html
    assert "Domstad Plusbus" in html
    assert "Join Us" not in html
