"""GET /api/v1/audit/access-log and its CSV export: privacy officers only, filtered, paginated,
never cached, and every query logged (failing closed)."""

import csv
import io
import logging
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.context import AccessContext
from audit.models import AccessLog, AccessOutcome, Action, Purpose
from audit.sealing import access_log_seal
from audit.services import access_log_record
from tests.factories import TeamFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

LIST = reverse("audit-access-log")
EXPORT = reverse("audit-access-log-export")


@pytest.fixture
def officer():
    return UserFactory(privacy_officer=True)


def record(*, actor=None, subject=None, action=Action.READ, outcome=AccessOutcome.SUCCESS):
    context = AccessContext(actor_id=actor.pk if actor else None, actor_roles=["team_member"])
    return access_log_record(
        context=context,
        action=action,
        outcome=outcome,
        purpose=Purpose.SIGNAL_HANDLING,
        subject_id=subject,
        object_type="signals.signal",
        fields_touched=["observation"],
    )


def test_officer_lists_newest_first_and_the_read_is_logged(client_for, officer):
    rows = [record() for _ in range(3)]
    response = client_for(officer).get(LIST)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    results = response.json()["results"]
    # Listed at once, before the sealer numbered them (docs/adr/0025).
    assert [r["event_id"] for r in results] == [str(row.event_id) for row in reversed(rows)]
    assert [r["sequence"] for r in results] == [None, None, None]
    assert results[0]["fields_touched"] == ["observation"]
    assert results[0]["occurred_at"].endswith("Z")  # UTC

    access_log_seal()
    sealed = client_for(officer).get(LIST, {"action": Action.READ}).json()["results"]
    assert [r["sequence"] for r in sealed] == [3, 2, 1]

    audit = AccessLog.objects.filter(action=Action.AUDIT_READ).earliest("occurred_at")
    assert audit.actor_id == officer.pk
    assert audit.actor_roles == ["privacy_officer"]
    assert audit.purpose == Purpose.AUDIT
    assert audit.authorisation_rule == "capability:accounts.view_access_log"
    assert audit.details == {"filters": {}, "format": "json"}


def test_filters_by_subject_actor_action_outcome_and_period(client_for, officer):
    member = member_of(TeamFactory())
    subject = uuid.uuid4()
    wanted = record(actor=member, subject=subject)
    record(actor=member, subject=uuid.uuid4())
    record(subject=subject)
    record(actor=member, subject=subject, action=Action.EXPORT)
    record(actor=member, subject=subject, outcome=AccessOutcome.DENIED)
    start = wanted.occurred_at - timedelta(seconds=1)
    end = timezone.now() + timedelta(seconds=1)

    response = client_for(officer).get(
        LIST,
        {
            "subject": str(subject),
            "actor": str(member.pk),
            "action": "read",
            "outcome": "success",
            "from": start.isoformat(),
            "to": end.isoformat(),
        },
    )
    assert [r["event_id"] for r in response.json()["results"]] == [str(wanted.event_id)]
    audit = AccessLog.objects.get(action=Action.AUDIT_READ)
    assert audit.subject_id == subject  # the subject's own access history shows this read
    assert audit.details["filters"] == {
        "subject_id": str(subject),
        "actor_id": str(member.pk),
        "action": "read",
        "outcome": "success",
        "period_from": start.isoformat(),
        "period_to": end.isoformat(),
    }


def test_period_excludes_rows_outside_it(client_for, officer):
    record()
    later = timezone.now() + timedelta(hours=1)
    response = client_for(officer).get(LIST, {"from": later.isoformat()})
    assert response.json()["results"] == []


def test_invalid_filters_are_refused(client_for, officer):
    client = client_for(officer)
    assert client.get(LIST, {"subject": "Jan Jansen"}).status_code == 400
    assert client.get(LIST, {"action": "peek"}).status_code == 400
    now = timezone.now().isoformat()
    assert client.get(LIST, {"from": now, "to": now}).status_code == 400
    assert not AccessLog.objects.filter(action=Action.AUDIT_READ).exists()


def test_cursor_pagination_walks_all_rows(client_for, officer):
    rows = [record() for _ in range(5)]
    client = client_for(officer)
    page = client.get(LIST, {"page_size": 2}).json()
    seen = [r["event_id"] for r in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [r["event_id"] for r in page["results"]]
    # Each page read adds a newer audit row, so only the five are walked.
    assert seen == [str(row.event_id) for row in reversed(rows)]
    assert AccessLog.objects.filter(action=Action.AUDIT_READ).count() == 3


def test_list_query_count_does_not_grow_with_rows(
    client_for, officer, django_assert_max_num_queries
):
    for _ in range(30):
        record()
    client = client_for(officer)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("trait", [{}, {"field_worker": True}, {"admin": True}])
def test_others_are_refused_and_the_refusal_is_logged(client_for, trait):
    user = UserFactory(**trait)
    response = client_for(user).get(LIST, {"subject": str(uuid.uuid4())})
    assert response.status_code == 403
    denial = AccessLog.objects.get()
    assert (denial.action, denial.outcome) == (Action.ACCESS_DENIED, AccessOutcome.DENIED)
    assert denial.actor_id == user.pk
    assert denial.details == {
        "view": "audit-access-log",
        "method": "GET",
        "reason": "permission_denied",
    }
    assert client_for(user).get(EXPORT).status_code == 403


def test_team_member_is_refused(client_for):
    assert client_for(member_of(TeamFactory())).get(LIST).status_code == 403


def test_anonymous_gets_401_in_the_security_log_not_the_access_log(api_client, caplog):
    """Issue 18 part 7: an anonymous request reached no personal data and names nobody: no NEN
    7513 row (docs/adr/0035), a line in the security log."""
    with caplog.at_level(logging.WARNING, logger="audit.security"):
        response = api_client.get(LIST)
    assert response.status_code == 401
    assert not AccessLog.objects.exists()
    (line,) = [r for r in caplog.records if r.name == "audit.security"]
    assert (line.view, line.reason) == ("audit-access-log", "not_authenticated")


def test_csv_export_with_filters_is_logged(client_for, officer):
    subject = uuid.uuid4()
    wanted = record(subject=subject)
    record()
    response = client_for(officer).get(EXPORT, {"subject": str(subject)})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content).decode()
    lines = list(csv.DictReader(io.StringIO(body)))
    # The export's own audit row is about the same subject, so it is in the export too.
    assert [line["event_id"] for line in lines][-1] == str(wanted.event_id)
    assert lines[-1]["fields_touched"] == "observation"
    audit = AccessLog.objects.get(action=Action.AUDIT_READ)
    assert audit.details == {"filters": {"subject_id": str(subject)}, "format": "csv"}


def test_csv_cells_cannot_become_formulas(client_for, officer):
    context = AccessContext(user_agent='=HYPERLINK("http://evil")')
    access_log_record(context=context, action=Action.LOGIN, purpose=Purpose.AUTHENTICATION)
    body = b"".join(client_for(officer).get(EXPORT).streaming_content).decode()
    assert "'=HYPERLINK" in body


def test_too_large_export_is_refused(client_for, officer, settings):
    settings.ACCESS_LOG_EXPORT_MAX_ROWS = 2
    for _ in range(3):
        record()
    response = client_for(officer).get(EXPORT)
    assert response.status_code == 400
    assert response.json()["code"] == "access_log_export_too_large"


def test_when_the_audit_row_cannot_be_written_no_data_is_served(client_for, officer):
    """Fail closed with a real database failure: inserts into the log are refused."""
    record()
    client = client_for(officer)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.refuse_insert() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'log storage unavailable'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse_insert BEFORE INSERT ON privacy_accesslog "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_insert()"
        )
    client.raise_request_exception = False
    response = client.get(LIST)
    assert response.status_code == 500
    assert b"signals.signal" not in response.content
    export = client.get(EXPORT)
    assert export.status_code == 500


def test_export_honours_accept_text_csv(client_for, officer):
    record()
    response = client_for(officer).get(EXPORT, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().startswith("sequence,event_id,")
    refused = client_for(UserFactory()).get(EXPORT, HTTP_ACCEPT="text/csv")
    assert refused.status_code == 403
