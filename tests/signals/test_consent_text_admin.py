"""The admin adds a consent text with the purposes it declares; afterwards neither the text nor
its purposes change (docs/adr/0032)."""

import hashlib

import pytest
from django.test import Client

from signals.models import ConsentText
from tests.accounts.helpers import admin_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/signals/consenttext/add/"
BODY = "Ik vind het goed dat het buurtteam contact met mij opneemt."


@pytest.fixture
def admin():
    return admin_login(Client(), UserFactory(admin=True))


def test_a_new_text_declares_the_purposes_ticked(admin):
    response = admin.post(
        ADD,
        {"version": "2027-1", "language": "nl", "body": BODY, "purposes": ["team_contact"]},
    )
    assert response.status_code == 302, response.content[:800]
    text = ConsentText.objects.get(version="2027-1")
    assert text.purposes == ["team_contact"]
    assert text.sha256 == hashlib.sha256(BODY.encode()).hexdigest()


def test_a_text_without_purposes_is_refused(admin):
    response = admin.post(ADD, {"version": "2027-1", "language": "nl", "body": BODY})
    assert response.status_code == 200
    assert not ConsentText.objects.filter(version="2027-1").exists()


def test_the_purposes_of_a_text_cannot_change_once_added(admin):
    text = ConsentText.objects.get(version="2026-1", language="nl")
    response = admin.post(
        f"/admin/signals/consenttext/{text.pk}/change/",
        {"purposes": ["team_contact", "share_with_initiative"], "is_active": "on"},
    )
    assert response.status_code == 302, response.content[:800]
    text.refresh_from_db()
    assert text.purposes == ["team_contact"]


def test_the_words_of_an_existing_text_cannot_come_back_under_other_purposes(admin):
    """Attack review of issue 18: 2026-1's words, which say the data is for the team's contact
    only, were added again as a new version with handover and measurement ticked, and intake
    accepted both under them. The same words are refused as a new version."""
    old = ConsentText.objects.get(version="2026-1", language="nl")
    everything = ["team_contact", "share_with_initiative", "measure_outcome"]
    response = admin.post(
        ADD, {"version": "2026-1b", "language": "nl", "body": old.body, "purposes": everything}
    )
    assert response.status_code == 200
    assert "2026-1" in response.content.decode()
    assert not ConsentText.objects.filter(version="2026-1b").exists()
