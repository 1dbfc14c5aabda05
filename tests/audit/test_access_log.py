"""access_log_record writes every field and chains rows; the one helper, access_logged, takes
the origin from the request context and fails closed."""

import uuid

import pytest
from django.db import DatabaseError
from django.test import RequestFactory

from accounts.account_log import credential_hash
from accounts.actors import SystemActor
from audit import chain
from audit.context import AccessContext
from audit.disclosure import Disclosure, access_logged
from audit.models import AccessLog, Action, Purpose
from audit.sealing import access_log_seal
from audit.services import access_log_record
from backend.request_context import (
    RequestOrigin,
    client_address,
    request_id_var,
    request_origin_var,
)
from tests.factories import TeamFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

rf = RequestFactory()


def test_a_row_carries_every_field_and_no_values():
    team = TeamFactory()
    user = member_of(team)
    access_log_seal()
    head = AccessLog.objects.order_by("-sequence").first()  # the membership itself was logged
    request = rf.get("/x", HTTP_USER_AGENT="Buurtsignaal-app/1.0 (Android 14)")
    request.request_id = "req-123456789"
    subject, consent = uuid.uuid4(), uuid.uuid4()

    row = access_log_record(
        context=AccessContext.from_request(request, user=user),
        action=Action.READ,
        purpose=Purpose.SIGNAL_HANDLING,
        subject_id=subject,
        object_type="signals.signal",
        object_id="4f1c",
        fields_touched=["observation", "contact_phone", "observation"],
        authorisation_rule="team_member_of_signal_team",
        consent_id=consent,
        details={"team": team.pk},
    )

    assert (row.sequence, row.previous_hash, row.row_hash) == (None, None, None)
    access_log_seal()
    stored = AccessLog.objects.get(pk=row.pk)
    assert stored.sequence == head.sequence + 1
    assert stored.occurred_at.utcoffset().total_seconds() == 0
    assert stored.action == "read" and stored.outcome == "success"
    assert stored.actor_id == user.pk
    assert stored.actor_roles == ["team_member"]
    assert stored.actor_organisation_id == user.organisation_id
    assert stored.client_address == "127.0.0.1"
    assert stored.user_agent == "Buurtsignaal-app/1.0 (Android 14)"
    assert stored.subject_id == subject
    assert (stored.object_type, stored.object_id) == ("signals.signal", "4f1c")
    assert stored.fields_touched == ["contact_phone", "observation"]
    assert stored.purpose == "signal_handling"
    assert stored.authorisation_rule == "team_member_of_signal_team"
    assert stored.consent_id == str(consent)
    assert stored.request_id == "req-123456789"
    assert stored.details == {"team": str(team.pk)}
    assert stored.previous_hash == head.row_hash
    assert stored.row_hash == chain.row_hash(chain.row_values(stored))
    for personal in (user.email, user.full_name):
        assert personal not in repr(chain.row_values(stored))


def test_rows_chain_in_sequence_once_sealed():
    context = AccessContext.system()
    written = [
        access_log_record(context=context, action=Action.LIST, purpose=Purpose.RETENTION)
        for _ in range(3)
    ]
    assert access_log_seal().sealed == 3
    rows = [AccessLog.objects.get(pk=row.pk) for row in written]
    assert [r.sequence for r in rows] == [1, 2, 3]
    assert rows[1].previous_hash == rows[0].row_hash
    assert rows[2].previous_hash == rows[1].row_hash
    assert rows[0].actor_id is None and rows[0].actor_roles == ["system"]


def test_unknown_action_or_float_details_are_refused():
    context = AccessContext.system()
    with pytest.raises(ValueError):
        access_log_record(context=context, action="peek", purpose=Purpose.AUDIT)
    with pytest.raises(TypeError):
        access_log_record(
            context=context, action=Action.READ, purpose=Purpose.AUDIT, details={"x": 1.5}
        )
    assert not AccessLog.objects.exists()


def _read(**rest) -> Disclosure:
    return Disclosure(action=Action.READ, purpose=Purpose.AUDIT, rule="test", **rest)


def test_logged_block_and_its_row_commit_together():
    user = UserFactory()
    subject = uuid.uuid4()
    with access_logged(actor=SystemActor("test")) as log:
        user.full_name = "Gewijzigd"
        user.save()
        log.add(_read(subject_id=subject, fields=["observation"]))
    row = AccessLog.objects.get()
    assert (row.subject_id, row.fields_touched, row.actor_roles) == (
        subject,
        ["observation"],
        ["test"],
    )


def test_the_helper_takes_the_origin_from_the_request_context():
    """No caller threads the request down: the actor is passed, the address, user agent and
    request id come from the request in progress (backend.request_context)."""
    user = UserFactory()
    origin = request_origin_var.set(RequestOrigin("203.0.113.9", "Buurtsignaal-app/2.0\x07"))
    request_id = request_id_var.set("req-origin-1")
    try:
        with access_logged(actor=user) as log:
            log.add(_read(), operation="peek")
    finally:
        request_origin_var.reset(origin)
        request_id_var.reset(request_id)
    row = AccessLog.objects.get()
    assert (row.actor_id, row.client_address, row.user_agent, row.request_id) == (
        user.pk,
        "203.0.113.9",
        "Buurtsignaal-app/2.0",
        "req-origin-1",
    )
    assert row.details == {"operation": "peek"}


def test_a_failing_log_write_fails_the_block(monkeypatch):
    """Fail closed: when the log row cannot be written, what the block did is rolled back and
    the caller gets the error, not the data."""
    user = UserFactory(full_name="Voor")

    def broken(*args, **kwargs):
        raise DatabaseError("log unavailable")

    monkeypatch.setattr("audit.disclosure.access_log_record", broken)
    with pytest.raises(DatabaseError), access_logged(actor=SystemActor("test")) as log:
        user.full_name = "Na"
        user.save()
        log.add(_read())
    user.refresh_from_db()
    assert user.full_name == "Voor"
    assert not AccessLog.objects.exists()


def test_a_block_that_reports_no_disclosure_fails_and_keeps_nothing():
    user = UserFactory(full_name="Voor")
    with pytest.raises(RuntimeError, match="no disclosure"), access_logged(actor=user):
        user.full_name = "Na"
        user.save()
    user.refresh_from_db()
    assert user.full_name == "Voor"


def test_a_failing_block_writes_no_row():
    with pytest.raises(LookupError), access_logged(actor=SystemActor("test")) as log:
        log.add(_read())
        raise LookupError
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # spoofed left part ignored
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer hops than proxies: do not trust
        (1, "not-an-ip", ""),
    ],
)
def test_client_address_trusts_only_our_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_user_agent_is_truncated_and_cleaned():
    request = rf.get("/", HTTP_USER_AGENT="a\x00b" + "x" * 400)
    context = AccessContext.from_request(request, user=UserFactory())
    assert context.user_agent.startswith("ab")
    assert len(context.user_agent) == 255


def test_credential_hash_is_keyed_and_normalised():
    assert credential_hash(" Someone@Example.test") == credential_hash("someone@example.test")
    assert "someone" not in credential_hash("someone@example.test")
    assert len(credential_hash("x")) == 32


def test_the_beat_task_seals_written_rows_and_the_command_too(settings):
    from io import StringIO

    from django.core.management import call_command

    from audit.tasks import seal_access_log

    context = AccessContext.system()
    for _ in range(3):
        access_log_record(context=context, action=Action.LIST, purpose=Purpose.RETENTION)
    settings.ACCESS_LOG_SEAL_MAX_ROWS_PER_RUN = 2
    assert seal_access_log() == 2  # bounded per run; the next run catches up
    out = StringIO()
    call_command("seal_access_log", stdout=out)
    assert out.getvalue().strip() == "sealed 1 row(s); head 3"
    assert not AccessLog.objects.filter(row_hash__isnull=True).exists()
