"""Withdrawing consent at the desk (issue 18, finding 6): a confirmation step that says what will
be erased and that it cannot be undone, a required reason (refused, nothing changed, when
empty), and the initiatives that already received the contact details named with their date
before and after the erasure (AVG art. 19), in Dutch and English."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AccessLog, Action
from initiatives.models import Referral
from signals.models import ConsentWithdrawal, Status
from tests.initiatives.factories import worked_signal
from tests.initiatives.handover import contact_handed_over
from tests.workspace.helpers import workspace_login

pytestmark = pytest.mark.django_db


def _url(signal) -> str:
    return reverse("workspace:signal-withdraw", args=[signal.pk])


@pytest.fixture
def handed_over(client_for):
    """A signal whose contact details went to Domstad Plusbus, its team member, the date."""
    signal, _, member = contact_handed_over(client_for)
    shared_at = Referral.objects.get(signal=signal).contact_shared_at
    return signal, member, date_format(timezone.localtime(shared_at), "j F Y")


def _unchanged(signal) -> None:
    before = signal.resident_first_name
    signal.refresh_from_db()
    assert signal.status != Status.WITHDRAWN
    assert signal.personal_data_erased_at is None
    assert signal.resident_first_name == before != ""
    assert not ConsentWithdrawal.objects.filter(consent__signal=signal).exists()
    assert not AccessLog.objects.filter(action=Action.CONSENT_CHANGE).exists()


def test_the_signal_page_only_links_to_the_confirmation(client: Client, handed_over):
    signal, member, _ = handed_over
    page = workspace_login(client, member).get(reverse("workspace:signal", args=[signal.pk]))
    html = page.content.decode()
    assert f'href="{_url(signal)}"' in html
    assert f'action="{_url(signal)}"' not in html  # no form that erases on one click


def test_the_confirmation_says_what_is_erased_that_it_is_final_and_who_has_the_data(
    client: Client, handed_over
):
    signal, member, shared_on = handed_over
    response = workspace_login(client, member).get(_url(signal))

    assert response.status_code == 200
    html = response.content.decode()
    for words in (
        "Wat wordt gewist",
        "de voornaam, het telefoonnummer en het e-mailadres van de bewoner",
        "de notities van het team",
        "Dit kan niet ongedaan worden gemaakt.",
        "Domstad Plusbus",
        shared_on,
    ):
        assert words in html, words
    assert 'name="reason"' in html
    _unchanged(signal)
    read = AccessLog.objects.get(action=Action.READ, details__operation="withdraw_confirm")
    assert read.subject_id == signal.subject_id
    assert read.details["recipients"] == 1
    assert signal.resident_first_name not in html  # no personal value on the page


def test_the_confirmation_in_english(client: Client, handed_over):
    signal, member, _ = handed_over
    workspace_login(client, member)
    html = client.get(_url(signal), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What will be erased" in html
    assert "This cannot be undone." in html
    for dutch in ("Wat wordt gewist", "ongedaan", "Wie heeft"):
        assert dutch not in html, dutch


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_erasure_without_a_reason_is_refused_and_changes_nothing(
    client: Client, handed_over, reason
):
    signal, member, _ = handed_over
    response = workspace_login(client, member).post(_url(signal), {"reason": reason})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Zeg hoe de intrekking je bereikte; er is niets gewist." in html
    assert "Domstad Plusbus" in html  # still the confirmation page
    _unchanged(signal)


def test_the_erasure_with_a_reason_names_who_already_received_the_data(client: Client, handed_over):
    signal, member, shared_on = handed_over
    response = workspace_login(client, member).post(
        _url(signal), {"reason": "Belde zelf."}, follow=True
    )

    assert response.redirect_chain[0] == (reverse("workspace:signal", args=[signal.pk]), 302)
    signal.refresh_from_db()
    assert signal.status == Status.WITHDRAWN
    assert signal.personal_data_erased_at is not None
    assert ConsentWithdrawal.objects.get(consent__signal=signal).reason == "Belde zelf."
    html = response.content.decode()
    assert "De toestemming is ingetrokken; de persoonsgegevens zijn gewist." in html
    assert f"Domstad Plusbus ({shared_on})" in html
    assert "AVG art. 19" in html


def test_without_a_handover_the_answer_names_nobody(client: Client):
    signal, member, _ = worked_signal()
    workspace_login(client, member)
    assert "Geen initiatief heeft de contactgegevens gekregen." in (
        client.get(_url(signal)).content.decode()
    )
    response = client.post(_url(signal), {"reason": "Belde zelf."}, follow=True)
    html = response.content.decode()
    assert "De toestemming is ingetrokken; de persoonsgegevens zijn gewist." in html
    assert "AVG art. 19" not in html
