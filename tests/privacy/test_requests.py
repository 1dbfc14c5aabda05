"""Request tracking: a request received by letter or phone is registered with its one-month due
date (AVG art. 12(3)), listed open and overdue, and closed as completed or refused."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog, Action
from privacy.models import SubjectRequest
from signals.deadlines import subject_request_due
from signals.models import Status
from tests.factories import UserFactory
from tests.privacy.rights import case

AMS = ZoneInfo("Europe/Amsterdam")
LIST = reverse("privacy-requests")


def close_url(request_id) -> str:
    return reverse("privacy-request-close", kwargs={"request_id": request_id})


# --- the due date (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime(2026, 3, 10, 9, 30, tzinfo=AMS), datetime(2026, 4, 10, 9, 30, tzinfo=AMS)),
        (datetime(2027, 1, 31, 12, 0, tzinfo=AMS), datetime(2027, 2, 28, 12, 0, tzinfo=AMS)),
        (datetime(2028, 1, 31, 12, 0, tzinfo=AMS), datetime(2028, 2, 29, 12, 0, tzinfo=AMS)),
        (datetime(2026, 12, 15, 8, 0, tzinfo=AMS), datetime(2027, 1, 15, 8, 0, tzinfo=AMS)),
        (datetime(2026, 8, 31, 17, 0, tzinfo=AMS), datetime(2026, 9, 30, 17, 0, tzinfo=AMS)),
        # A short month's last day is not "the end of the month": 28 Feb is due 28 March.
        (datetime(2026, 2, 28, 9, 0, tzinfo=AMS), datetime(2026, 3, 28, 9, 0, tzinfo=AMS)),
        (datetime(2028, 2, 29, 9, 0, tzinfo=AMS), datetime(2028, 3, 29, 9, 0, tzinfo=AMS)),
    ],
    ids=["plain", "end-of-january", "leap-year", "year-end", "31-to-30", "28-feb", "29-feb"],
)
def test_due_one_calendar_month_after_receipt(received, due):
    assert subject_request_due(received) == due


def test_due_date_keeps_the_local_wall_clock_across_daylight_saving():
    # 10:00 in winter time (UTC+1) is due at 10:00 summer time (UTC+2): 08:00 UTC, not 09:00.
    received = datetime(2026, 3, 15, 9, 0, tzinfo=UTC)
    due = subject_request_due(received)
    assert due.astimezone(AMS).hour == 10
    assert due.astimezone(UTC) == datetime(2026, 4, 15, 8, 0, tzinfo=UTC)


def test_a_due_time_in_the_spring_forward_gap_resolves_to_the_hour_after_it():
    # 02:30 on 28 March 2027 does not exist in Amsterdam (02:00 -> 03:00): the winter offset
    # applies, so the due moment is 01:30 UTC (03:30 summer time), not an hour earlier.
    due = subject_request_due(datetime(2027, 2, 28, 2, 30, tzinfo=AMS))
    assert due.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_due_date_needs_an_aware_datetime():
    with pytest.raises(ValueError):
        subject_request_due(datetime(2026, 1, 1, 9, 0))  # naive on purpose


# --- the API ----------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_register_list_and_overdue(client_for):
    c = case(state=Status.CLOSED)
    client = client_for(c.officer)
    received = timezone.now() - timedelta(days=2)
    response = client.post(
        LIST,
        {
            "kind": "access",
            "subject_id": str(c.signal.subject_id),
            "channel": "phone",
            "received_at": received.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    request = SubjectRequest.objects.get()
    assert request.status == "open" and request.registered_by == c.officer
    assert request.due_at == subject_request_due(received)
    assert response.json()["overdue"] is False
    created = AccessLog.objects.get(action=Action.CREATE, object_type="privacy.subjectrequest")
    assert created.subject_id == c.signal.subject_id and created.details["kind"] == "access"

    listed = client.get(LIST, {"status": "open"})
    assert [r["id"] for r in listed.json()["results"]] == [str(request.pk)]
    assert client.get(LIST, {"overdue": "true"}).json()["results"] == []
    listing = AccessLog.objects.filter(action=Action.LIST, object_type="privacy.subjectrequest")
    assert listing.count() == 2

    with time_machine.travel(request.due_at + timedelta(minutes=1), tick=False):
        client = client_for(c.officer)  # a month later the old access token has expired
        late = client.get(LIST, {"overdue": "true"}).json()["results"]
        assert [r["id"] for r in late] == [str(request.pk)]
        assert late[0]["overdue"] is True
        assert client.get(LIST, {"overdue": "false"}).json()["results"] == []


@pytestmark_db
def test_list_orders_by_due_date_and_filters(client_for):
    c = case(state=Status.CLOSED)
    client = client_for(c.officer)
    now = timezone.now()
    for days, kind in [(1, "objection"), (10, "access"), (5, "other")]:
        client.post(
            LIST,
            {
                "kind": kind,
                "subject_id": str(c.signal.subject_id),
                "received_at": (now - timedelta(days=days)).isoformat(),
            },
            format="json",
        )
    results = client.get(LIST).json()["results"]
    assert [r["kind"] for r in results] == ["access", "other", "objection"]
    assert [r["kind"] for r in client.get(LIST, {"kind": "other"}).json()["results"]] == ["other"]
    by_subject = client.get(LIST, {"subject": str(c.signal.subject_id)}).json()["results"]
    assert len(by_subject) == 3


@pytestmark_db
@pytest.mark.parametrize(
    "body",
    [
        {"kind": "erasure"},
        {"kind": "restriction", "reason": "  "},
        {"kind": "access", "received_at": "2999-01-01T00:00:00Z"},
        {"kind": "access", "status": "completed"},
        {"kind": "access", "due_at": "2030-01-01T00:00:00Z"},
        {"kind": "portability"},
        {"kind": "access", "channel": "pigeon"},
    ],
    ids=["erasure-no-reason", "blank-reason", "future", "status", "due_at", "kind", "channel"],
)
def test_bad_registration_stores_nothing(client_for, body):
    c = case(state=Status.CLOSED, team_read=False)
    rows = AccessLog.objects.count()
    response = client_for(c.officer).post(
        LIST, {"subject_id": str(c.signal.subject_id), **body}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert not SubjectRequest.objects.exists()
    assert AccessLog.objects.count() == rows


@pytestmark_db
def test_registering_for_an_unknown_subject_is_404(client_for):
    officer = UserFactory(privacy_officer=True)
    response = client_for(officer).post(
        LIST,
        {"kind": "access", "subject_id": "6f1c2a8e-0000-4000-8000-000000000000"},
        format="json",
    )
    assert response.status_code == 404 and response.json()["code"] == "unknown_subject"
    assert not SubjectRequest.objects.exists()


@pytestmark_db
def test_list_refuses_unknown_filters(client_for):
    officer = UserFactory(privacy_officer=True)
    client = client_for(officer)
    assert client.get(LIST, {"overdue": "maybe"}).status_code == 400
    assert client.get(LIST, {"sort": "due_at"}).status_code == 400
    assert not AccessLog.objects.filter(action=Action.LIST).exists()


def _register(client, subject_id, kind="access", **extra):
    body = {"kind": kind, "subject_id": str(subject_id), **extra}
    return client.post(LIST, body, format="json").json()["id"]


@pytestmark_db
def test_close_as_completed_or_refused(client_for):
    c = case(state=Status.CLOSED)
    client = client_for(c.officer)
    access = _register(client, c.signal.subject_id)
    objection = _register(client, c.signal.subject_id, kind="objection")

    done = client.post(
        close_url(access), {"status": "completed", "outcome_note": "Export per post"}, format="json"
    )
    assert done.status_code == 200
    request = SubjectRequest.objects.get(pk=access)
    assert request.status == "completed" and request.handled_by == c.officer
    assert request.completed_at is not None and request.outcome_note == "Export per post"
    assert AccessLog.objects.filter(
        action=Action.UPDATE, object_type="privacy.subjectrequest", object_id=access
    ).exists()

    no_reasons = client.post(close_url(objection), {"status": "refused"}, format="json")
    assert no_reasons.status_code == 400
    assert no_reasons.json()["code"] == "outcome_note_required"
    refused = client.post(
        close_url(objection),
        {"status": "refused", "outcome_note": "Verwerking op basis van toestemming; ingetrokken"},
        format="json",
    )
    assert refused.status_code == 200 and refused.json()["status"] == "refused"

    twice = client.post(close_url(access), {"status": "completed"}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "subject_request_closed"


@pytestmark_db
def test_an_erasure_request_is_completed_by_its_action_only(client_for):
    c = case(state=Status.CLOSED)
    client = client_for(c.officer)
    erasure = _register(client, c.signal.subject_id, kind="erasure", reason="Brief")
    response = client.post(close_url(erasure), {"status": "completed"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "subject_request_needs_action"
    assert SubjectRequest.objects.get(pk=erasure).status == "open"
    # Refusing it (e.g. a legal obligation to keep) is allowed, with reasons.
    refused = client.post(
        close_url(erasure), {"status": "refused", "outcome_note": "Art. 17(3)(b)"}, format="json"
    )
    assert refused.status_code == 200


@pytestmark_db
@pytest.mark.parametrize(
    "body",
    [{"status": "open"}, {}, {"status": "completed", "handled_by": "x"}],
    ids=["reopen", "missing", "unknown-field"],
)
def test_bad_close_input_changes_nothing(client_for, body):
    c = case(state=Status.CLOSED, team_read=False)
    client = client_for(c.officer)
    request_id = _register(client, c.signal.subject_id)
    assert client.post(close_url(request_id), body, format="json").status_code == 400
    assert SubjectRequest.objects.get(pk=request_id).status == "open"


@pytestmark_db
def test_closing_an_unknown_request_is_404(client_for):
    officer = UserFactory(privacy_officer=True)
    response = client_for(officer).post(
        close_url("6f1c2a8e-0000-4000-8000-000000000000"), {"status": "completed"}, format="json"
    )
    assert response.status_code == 404 and response.json()["code"] == "subject_request_not_found"


@pytestmark_db
def test_the_database_refuses_an_erasure_request_without_reason():
    officer = UserFactory(privacy_officer=True)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        SubjectRequest.objects.create(
            kind="erasure",
            subject_id="6f1c2a8e-0000-4000-8000-000000000000",
            received_at=now,
            due_at=subject_request_due(now),
            registered_by=officer,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SubjectRequest.objects.create(
            kind="access",
            subject_id="6f1c2a8e-0000-4000-8000-000000000000",
            received_at=now,
            due_at=subject_request_due(now),
            registered_by=officer,
            status="completed",
        )
