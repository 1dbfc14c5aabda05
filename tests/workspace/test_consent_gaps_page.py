"""The privacy officer's page of consents that give less than was ticked (docs/adr/0032):
words, not codes, in Dutch and English; the read is logged like the API's."""

import pytest
from django.test import Client

from audit.models import AccessLog
from signals.models import Consent, ConsentPurpose, ConsentText
from tests.factories import UserFactory
from tests.workspace.helpers import two_teams, workspace_login

pytestmark = pytest.mark.django_db

PAGE = "/werkruimte/privacy/toestemmingen/"


@pytest.fixture
def gap():
    """The two-team world's signal, its consent as if recorded under 2026-1 with sharing and
    measuring ticked, and a name that matched no catalogue entry."""
    world = two_teams()
    text = ConsentText.objects.get(version="2026-1", language="nl")
    purposes = {purpose.value: True for purpose in ConsentPurpose}
    Consent.objects.filter(signal=world.signal).update(
        consent_text=text, purposes=purposes, unresolved_recipients=["Straße"]
    )
    return world.signal


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Toestemmingen met een gat", "Doorgeven aan de genoemde lokale initiatieven"]),
        ("en", ["Consent gaps", "Passing on to the named local initiatives"]),
    ],
)
def test_the_page_lists_the_gap_in_words(gap, language, words):
    officer = UserFactory(privacy_officer=True)
    client = workspace_login(Client(HTTP_ACCEPT_LANGUAGE=language), officer)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    for word in words:
        assert word in page
    assert str(gap.subject_id) in page and "Straße" in page
    assert "share_with_initiative" not in page and "measure_outcome" not in page
    row = AccessLog.objects.get(object_type="signals.consent", actor_id=officer.pk)
    assert row.details == {"register": "consent_gaps", "format": "workspace"}
