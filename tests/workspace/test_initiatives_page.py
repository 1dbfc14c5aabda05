"""The signal's initiatives page: the API's suggestions, referrals and steps, logged the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AccessLog, Action
from initiatives.models import Referral, ReferralStep
from tests.initiatives.factories import make_initiative, worked_signal
from tests.workspace.helpers import workspace_login

pytestmark = pytest.mark.django_db


def test_a_member_proposes_a_suggested_initiative_and_records_the_next_step(client):
    signal, member, _buurt = worked_signal()
    initiative = make_initiative(name="Buurtkoor De Zangers")
    workspace_login(client, member)
    url = f"/werkruimte/signalen/{signal.pk}/initiatieven/"

    page = client.get(url)
    assert page.status_code == 200
    assert [i.pk for i, _item in page.context["suggestions"]] == [initiative.pk]
    reads = AccessLog.objects.filter(actor_id=member.pk, subject_id=signal.subject_id)
    assert {row.details.get("operation") for row in reads} >= {"suggestions", "referrals"}

    client.post(url + "voorstellen/", {"initiative": initiative.pk})
    referral = Referral.objects.get(signal=signal)
    assert referral.step == ReferralStep.PROPOSED
    client.post(url + "stap/", {"step": "agreed"})
    referral.refresh_from_db()
    assert referral.step == ReferralStep.AGREED
    steps = AccessLog.objects.filter(actor_id=member.pk, object_type="initiatives.referral")
    assert {row.action for row in steps} == {Action.CREATE, Action.UPDATE}


def test_an_english_page_names_the_steps_in_english(client):
    signal, member, _buurt = worked_signal()
    initiative = make_initiative()
    workspace_login(client, member)
    url = f"/werkruimte/signalen/{signal.pk}/initiatieven/"
    client.post(url + "voorstellen/", {"initiative": initiative.pk})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Proposed to the resident" in page and "Voorgesteld aan de bewoner" not in page


def test_the_page_reads_the_signal_without_locking_it(client):
    """The page asks for suggestions and referrals of one signal: a GET, so no row lock, and
    certainly not the same row locked twice (issue 19, item 5)."""
    signal, member, _buurt = worked_signal()
    make_initiative(name="Buurtkoor De Zangers")
    workspace_login(client, member)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/werkruimte/signalen/{signal.pk}/initiatieven/")

    assert page.status_code == 200
    assert [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]] == []
