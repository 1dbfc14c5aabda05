"""Authorisation denials in the API are logged as access_denied; a failing log write there does
not change the answer the client gets."""

import logging
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from audit.denials import UNAUTHENTICATED_LOG_PER_MINUTE
from audit.models import AccessLog, AccessOutcome, Action
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.audit.denial_urls")]


def test_a_404_on_an_object_is_logged_with_its_id(client_for):
    user = UserFactory()
    object_id = str(uuid.uuid4())
    response = client_for(user).get(f"/hidden/{object_id}")
    assert response.status_code == 404
    row = AccessLog.objects.get()
    assert (row.action, row.outcome) == (Action.ACCESS_DENIED, AccessOutcome.DENIED)
    assert row.actor_id == user.pk
    assert row.object_id == object_id
    assert row.details == {"view": "test-hidden", "method": "GET", "reason": "not_found"}
    assert row.authorisation_rule == "view:test-hidden"


def test_permission_denied_and_domain_refusals_are_logged(client_for):
    client = client_for(UserFactory())
    assert client.get("/forbidden").status_code == 403
    assert client.get("/domain").status_code == 403
    reasons = list(
        AccessLog.objects.order_by("occurred_at").values_list("details__reason", flat=True)
    )
    assert reasons == ["permission_denied", "permission_denied"]


def test_other_errors_are_not_denials(client_for):
    assert client_for(UserFactory()).get("/invalid").status_code == 400
    assert not AccessLog.objects.exists()


def test_a_failing_log_write_does_not_mask_the_denial(client_for, caplog):
    client = client_for(UserFactory())
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.refuse_insert() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'log storage unavailable'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse_insert BEFORE INSERT ON privacy_accesslog "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_insert()"
        )
    with caplog.at_level(logging.ERROR, logger="audit.denials"):
        response = client.get("/forbidden")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "access log write for a denial failed" in caplog.text
    # The failed write left the connection usable.
    assert AccessLog.objects.count() == 0


def test_an_anonymous_401_writes_no_access_log_row_but_a_security_log_line(caplog):
    """Issue 18 part 7 (docs/adr/0035): no actor, no personal data reached, no NEN 7513 row."""
    with caplog.at_level(logging.WARNING, logger="audit.security"):
        response = APIClient().get("/needs-login")
    assert response.status_code == 401
    assert not AccessLog.objects.exists()
    (line,) = [r for r in caplog.records if r.name == "audit.security"]
    assert (line.view, line.method, line.reason) == ("test-needs-login", "GET", "not_authenticated")
    assert "127.0.0.1" not in caplog.text and len(line.client) == 16


def test_anonymous_401s_are_logged_at_most_ten_a_minute_per_client(caplog):
    client = APIClient()
    with caplog.at_level(logging.WARNING, logger="audit.security"):
        for _ in range(UNAUTHENTICATED_LOG_PER_MINUTE + 5):
            assert client.get("/needs-login").status_code == 401
    lines = [r.getMessage() for r in caplog.records if r.name == "audit.security"]
    assert len(lines) == UNAUTHENTICATED_LOG_PER_MINUTE + 1
    assert "not logged" in lines[-1]
    assert not AccessLog.objects.exists()


def test_an_authenticated_refusal_still_writes_its_row(client_for):
    user = UserFactory()
    assert client_for(user).get("/forbidden").status_code == 403
    assert AccessLog.objects.get().actor_id == user.pk
