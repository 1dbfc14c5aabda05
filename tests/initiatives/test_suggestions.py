"""GET /api/v1/signals/{id}/suggestions: ranked and explained for the signal's own buurt, team
work only, and its read written to the access log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AccessLog
from signals.models import Signal
from tests.initiatives.factories import make_initiative, worked_signal

pytestmark = pytest.mark.django_db


def test_suggestions_ranked_with_explanations_and_logged(client_for) -> None:
    signal, member, buurt = worked_signal()  # elderly_at_home, few_contacts, nl
    make_initiative(name="Stad", target_groups=["elderly_at_home"], languages=["nl"])
    make_initiative(
        name="Buurt", citywide=False, buurt_codes=[buurt.code], reasons=("few_contacts",)
    )
    make_initiative(name="Wijk", citywide=False, wijk_codes=[buurt.wijk_code], languages=["nl"])
    make_initiative(name="Uit", is_active=False, target_groups=["elderly_at_home"])
    make_initiative(name="Ver", citywide=False, buurt_codes=["BU99999999"])
    before = AccessLog.objects.count()
    response = client_for(member).get(f"/api/v1/signals/{signal.pk}/suggestions")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [(r["initiative"]["name"], r["score"]) for r in results] == [
        ("Buurt", 30 + 15 + 10 + 2),  # same buurt, one reason, accepting, free
        ("Stad", 10 + 20 + 10 + 10 + 2),
        ("Wijk", 20 + 10 + 10 + 2),
    ]
    assert results[0]["matched"] == ["same_buurt", "reasons", "accepting_new", "free"]
    assert "language" in results[0]["unmatched"]
    assert results[0]["matched_reasons"] == ["few_contacts"]
    [row] = AccessLog.objects.order_by("-sequence")[: AccessLog.objects.count() - before]
    assert row.action == "read" and row.subject_id == signal.subject_id
    assert row.details["operation"] == "suggestions" and row.details["count"] == 3
    assert row.authorisation_rule == "team_membership"
    assert row.fields_touched == []


def test_suggestions_are_team_work(client_for) -> None:
    signal, _, _ = worked_signal()
    _theirs, other, _ = worked_signal(team_name="Buurtteam Overvecht")
    assert client_for(other).get(f"/api/v1/signals/{signal.pk}/suggestions").status_code == 404


@pytest.mark.parametrize("tail", ["suggestions", "referrals"])
def test_reading_suggestions_or_referrals_locks_no_row(client_for, tail) -> None:
    """A read goes through signals.access.signal_for_team_read: the team-work rule without
    SELECT ... FOR UPDATE (issue 19, item 5)."""
    signal, member, _ = worked_signal()
    make_initiative(name="Stad")
    client = client_for(member)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/signals/{signal.pk}/{tail}")

    assert response.status_code == 200, response.content
    assert [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]] == []


@pytest.mark.parametrize("tail", ["suggestions", "referrals"])
def test_a_restricted_signal_s_suggestions_and_referrals_are_423(client_for, tail) -> None:
    signal, member, _ = worked_signal()
    Signal.objects.filter(pk=signal.pk).update(restricted_at=timezone.now())

    response = client_for(member).get(f"/api/v1/signals/{signal.pk}/{tail}")

    assert response.status_code == 423, response.content
    assert response.json()["code"] == "processing_restricted"
