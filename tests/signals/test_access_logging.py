"""NEN 7513 access logging of the signals API: every call that touches a resident's data writes
one AccessLog row with every field, in the transaction that builds the answer. If that row
cannot be written the call fails and changes nothing (fail closed), tested with a database that
really refuses the insert, not with a mock."""

import uuid

import pytest
from django.db import connection

from accounts.actors import SYSTEM
from accounts.models import TeamRole
from audit.models import AccessLog
from signals import services
from signals.models import Signal, SignalEvent, SignalNote, Status
from signals.personal_data import NOTE_BODY, PERSONAL_FIELDS, WITHDRAWAL_REASON
from tests.factories import UserFactory, member_of
from tests.fixtures import token_client
from tests.signals.factories import intake_payload, make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

USER_AGENT = "Buurtsignaal-app/2.3 (iOS 18)"
REQUEST_ID = "req-accesslog-0001"
ALL_FIELDS = sorted(PERSONAL_FIELDS)
# What intake_payload fills in: no addition, so that one is not disclosed.
FILLED = sorted(set(PERSONAL_FIELDS) - {"house_number_addition"})


@pytest.fixture
def team():
    return team_with_coverage()


@pytest.fixture
def member(team):
    return member_of(team)


def call(user, method: str, url: str, body: dict | None = None):
    client = token_client(user)
    headers = {"HTTP_USER_AGENT": USER_AGENT, "HTTP_X_REQUEST_ID": REQUEST_ID}
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, body or {}, format="json", **headers)


def api_rows():
    """The rows the calls of this test wrote (they carry its request id): not those of the
    set-up, whose services write their own rows too (docs/adr/0041), nor the account changes
    (member_of gives a team role through the membership service, which logs it)."""
    return AccessLog.objects.filter(request_id=REQUEST_ID).exclude(object_type="accounts.user")


def only_row() -> AccessLog:
    rows = list(api_rows())
    assert len(rows) == 1, [(r.action, r.object_type) for r in rows]
    return rows[0]


def assert_actor(row: AccessLog, user) -> None:
    assert row.actor_id == user.pk
    assert row.actor_organisation_id == user.organisation_id
    assert row.client_address == "127.0.0.1"
    assert row.user_agent == USER_AGENT
    assert row.request_id == REQUEST_ID
    assert row.outcome == "success"


# --- reads -------------------------------------------------------------------------------------


def test_a_detail_read_writes_one_row_with_every_field(team, member):
    signal = make_signal(state=Status.ACKNOWLEDGED, worker=member)
    services.signal_note_add(signal_id=signal.pk, actor=member, body="Gebeld.")
    assert not api_rows().exists()

    response = call(member, "get", f"/api/v1/signals/{signal.pk}")

    assert response.status_code == 200
    row = only_row()
    assert_actor(row, member)
    assert row.actor_roles == ["team_member"]
    assert (row.action, row.purpose) == ("read", "signal_handling")
    assert row.subject_id == signal.subject_id
    assert (row.object_type, row.object_id) == ("signals.signal", str(signal.pk))
    assert row.fields_touched == sorted([*FILLED, NOTE_BODY])
    assert row.authorisation_rule == "team_membership"
    assert row.consent_id == str(signal.consent.pk)
    assert row.details == {}
    assert response["X-Request-ID"] == REQUEST_ID


def test_a_read_of_an_erased_signal_discloses_no_field(team, member):
    signal = make_signal(state=Status.ROUTED)
    services.signal_personal_data_erase(signal_id=signal.pk, actor=SYSTEM, reason="retention")
    assert call(member, "get", f"/api/v1/signals/{signal.pk}").status_code == 200
    assert only_row().fields_touched == []


def test_a_standing_share_is_named_as_such(team):
    from django.contrib.auth.models import Permission

    from signals.models import SignalUserObjectPermission

    signal = make_signal(state=Status.ROUTED)
    outsider = member_of(team_with_coverage("Buurtteam Zuid", postcode="3523AB"))
    SignalUserObjectPermission.objects.create(
        user=outsider,
        permission=Permission.objects.get(codename="view_signal"),
        content_object=signal,
    )
    assert call(outsider, "get", f"/api/v1/signals/{signal.pk}").status_code == 200
    assert only_row().authorisation_rule == "object_share"


def test_the_queue_writes_one_list_row_naming_the_subjects_it_showed(team, member):
    shown = [make_signal(state=Status.ROUTED) for _ in range(3)]
    make_signal(state=Status.CLOSED, worker=member)  # not in the default queue

    response = call(member, "get", "/api/v1/queue")

    assert len(response.json()["results"]) == 3
    row = only_row()
    assert_actor(row, member)
    assert (row.action, row.authorisation_rule, row.purpose) == (
        "list",
        "team_queue",
        "signal_handling",
    )
    assert row.fields_touched == []  # queue rows carry no personal field
    assert row.subject_id is None and row.object_type == "signals.signal"
    assert row.details["count"] == 3
    assert sorted(row.details["subject_ids"]) == sorted(str(s.subject_id) for s in shown)


def test_my_signals_is_logged_as_a_list_of_own_signals(team):
    signaller = UserFactory(field_worker=True)
    mine = make_signal(signaller=signaller, state=Status.ROUTED)
    make_signal(state=Status.ROUTED)

    assert len(call(signaller, "get", "/api/v1/my/signals").json()) == 1

    row = only_row()
    assert_actor(row, signaller)
    assert (row.action, row.authorisation_rule, row.fields_touched) == (
        "list",
        "signaller_own_signal",
        [],
    )
    assert row.details == {"count": 1, "subject_ids": [str(mine.subject_id)]}


def test_lists_without_resident_data_are_not_logged(team, member):
    signaller = UserFactory(field_worker=True)
    assert call(signaller, "get", "/api/v1/consent-texts").status_code == 200
    assert call(member, "get", "/api/v1/reason-codes").status_code == 200
    assert not api_rows().exists()


# --- writes ------------------------------------------------------------------------------------


def test_intake_is_logged_as_create_with_the_fields_given():
    signaller = UserFactory(field_worker=True)
    body = intake_payload()

    response = call(signaller, "post", "/api/v1/signals", body)

    assert response.status_code == 201
    signal = Signal.objects.get(pk=response.json()["id"])
    row = only_row()
    assert_actor(row, signaller)
    assert row.actor_roles == ["field_worker"]
    assert (row.action, row.purpose) == ("create", "signal_handling")
    assert row.authorisation_rule == "signaller_with_consent"
    assert (row.subject_id, row.object_id) == (signal.subject_id, str(signal.pk))
    assert row.consent_id == str(signal.consent.pk)
    assert row.fields_touched == FILLED
    assert row.details == {"created": True}

    again = call(signaller, "post", "/api/v1/signals", body)
    assert again.status_code == 200
    repeat = api_rows().order_by("-occurred_at").first()
    assert (repeat.action, repeat.subject_id, repeat.fields_touched) == (
        "create",
        signal.subject_id,
        [],
    )
    assert repeat.details == {"created": False}


def test_a_transition_is_one_update_row_with_what_the_answer_showed(team, member):
    signal = make_signal(state=Status.ROUTED)
    body = {"to": "acknowledged", "version": signal.version, "note": "Morgen bellen."}

    response = call(member, "post", f"/api/v1/signals/{signal.pk}/transitions", body)

    assert response.status_code == 200
    row = only_row()
    assert_actor(row, member)
    assert (row.action, row.authorisation_rule) == ("update", "team_membership")
    assert (row.subject_id, row.object_id) == (signal.subject_id, str(signal.pk))
    assert row.consent_id == str(signal.consent.pk)
    assert row.fields_touched == sorted([*FILLED, NOTE_BODY])
    assert row.details == {"operation": "transition", "to": "acknowledged"}


def test_assign_forward_and_note_are_logged(team, member):
    coordinator = member_of(team, TeamRole.COORDINATOR)
    other_team = team_with_coverage("Buurtteam Overvecht", postcode="3563AB")
    signal = make_signal(state=Status.ROUTED)
    base = f"/api/v1/signals/{signal.pk}"

    assert call(member, "post", f"{base}/assign", {"version": signal.version}).status_code == 200
    note = call(member, "post", f"{base}/notes", {"body": "Niet thuis."})
    assert note.status_code == 201
    signal.refresh_from_db()
    forward = {"team": str(other_team.pk), "version": signal.version, "reason": "Verhuisd."}
    assert call(coordinator, "post", f"{base}/forward", forward).status_code == 202

    assign, noted, forwarded = api_rows().order_by("occurred_at")
    assert (assign.action, assign.details, assign.actor_id) == (
        "update",
        {"operation": "assign"},
        member.pk,
    )
    assert (noted.action, noted.object_type, noted.object_id) == (
        "create",
        "signals.signalnote",
        note.json()["id"],
    )
    assert noted.fields_touched == [NOTE_BODY]
    assert noted.details == {"signal_id": str(signal.pk)}
    assert (forwarded.action, forwarded.fields_touched, forwarded.details) == (
        "update",
        [NOTE_BODY],
        {"operation": "forward"},
    )
    assert forwarded.actor_roles == ["team_coordinator"]
    for row in (assign, noted, forwarded):
        assert row.subject_id == signal.subject_id
        assert row.consent_id == str(signal.consent.pk)
        assert row.authorisation_rule == "team_membership"


@pytest.mark.parametrize(
    ("who", "rule"),
    [
        ("signaller", "signaller_own_signal"),
        ("member", "team_membership"),
        ("privacy_officer", "privacy_officer"),
    ],
)
def test_consent_withdrawal_is_a_consent_change_on_the_residents_request(team, member, who, rule):
    signaller = UserFactory(field_worker=True)
    users = {
        "signaller": signaller,
        "member": member,
        "privacy_officer": UserFactory(privacy_officer=True),
    }
    signal = make_signal(signaller=signaller, state=Status.ROUTED)
    consent_id = str(signal.consent.pk)

    url = f"/api/v1/signals/{signal.pk}/withdraw-consent"
    response = call(users[who], "post", url, {"reason": "Wil het niet meer."})

    assert response.status_code == 200
    row = only_row()
    assert_actor(row, users[who])
    assert (row.action, row.purpose) == ("consent_change", "data_subject_request")
    assert row.authorisation_rule == rule
    assert (row.subject_id, row.consent_id) == (signal.subject_id, consent_id)
    assert row.fields_touched == sorted([*ALL_FIELDS, NOTE_BODY, WITHDRAWAL_REASON])
    assert row.details == {"operation": "withdraw"}


# --- denials are logged by the exception handler, not as successes ----------------------------


def test_another_teams_signal_is_a_logged_denial_not_a_read(team):
    signal = make_signal(state=Status.ROUTED)
    outsider = member_of(team_with_coverage("Buurtteam Zuid", postcode="3523AB"))

    response = call(outsider, "get", f"/api/v1/signals/{signal.pk}")

    assert response.status_code == 404
    row = only_row()
    assert (row.action, row.outcome) == ("access_denied", "denied")
    assert row.object_id == str(signal.pk)
    assert row.details == {"view": "signal-detail", "method": "GET", "reason": "not_found"}
    assert row.subject_id is None  # a denial names no subject: that would confirm it exists


def test_a_restricted_signal_read_is_a_logged_denial(team, member):
    signal = make_signal(state=Status.ROUTED)
    services.signal_restrict(signal_id=signal.pk, actor=UserFactory(privacy_officer=True))

    response = call(member, "get", f"/api/v1/signals/{signal.pk}")

    assert response.status_code == 423
    row = only_row()
    assert (row.action, row.outcome) == ("access_denied", "denied")
    assert row.details["reason"] == "processing_restricted"


def test_refusals_that_are_not_denials_leave_no_row(team, member):
    signal = make_signal(state=Status.ROUTED)
    url = f"/api/v1/signals/{signal.pk}/transitions"
    response = call(member, "post", url, {"to": "closed", "version": signal.version})
    assert response.status_code == 409
    assert not api_rows().exists()  # nothing was shown or changed


# --- fail closed -------------------------------------------------------------------------------


def refuse_access_log_inserts() -> None:
    """The log storage refuses every insert, as a full disk or a broken grant would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.refuse_log_insert() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'access log storage unavailable'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse_log_insert BEFORE INSERT ON privacy_accesslog "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_log_insert()"
        )


def failing_call(user, method: str, url: str, body: dict | None = None):
    client = token_client(user)
    client.raise_request_exception = False
    headers = {"HTTP_X_REQUEST_ID": REQUEST_ID}
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, body or {}, format="json", **headers)


def test_when_the_log_cannot_be_written_the_read_fails(team, member):
    signal = make_signal(state=Status.ROUTED)
    refuse_access_log_inserts()

    response = failing_call(member, "get", f"/api/v1/signals/{signal.pk}")

    assert response.status_code == 500
    assert b"Wilhelmina" not in response.content
    assert not api_rows().exists()


def test_when_the_log_cannot_be_written_a_change_is_rolled_back(team, member):
    signal = make_signal(state=Status.ROUTED)
    version = signal.version
    events = SignalEvent.objects.filter(signal=signal).count()
    refuse_access_log_inserts()

    url = f"/api/v1/signals/{signal.pk}/transitions"
    body = {"to": "acknowledged", "version": signal.version, "note": "Gebeld."}
    assert failing_call(member, "post", url, body).status_code == 500
    note = failing_call(member, "post", f"/api/v1/signals/{signal.pk}/notes", {"body": "Hoi."})
    assert note.status_code == 500

    signal.refresh_from_db()
    assert (signal.status, signal.version) == (Status.ROUTED, version)
    assert SignalEvent.objects.filter(signal=signal).count() == events
    assert not SignalNote.objects.filter(signal=signal).exists()


def test_when_the_log_cannot_be_written_no_signal_is_taken_in():
    signaller = UserFactory(field_worker=True)
    refuse_access_log_inserts()
    response = failing_call(signaller, "post", "/api/v1/signals", intake_payload())
    assert response.status_code == 500
    assert not Signal.objects.exists()


APP_ROLE = "bs_signals_test_no_log_insert"


def test_an_app_role_without_insert_on_the_log_cannot_read_signals(team, member):
    """The other way the log write fails in production: the application's database role lost
    its INSERT grant on the log table. Every read must then fail, not go unlogged."""
    signal = make_signal(state=Status.ROUTED)
    client = token_client(member)
    client.raise_request_exception = False
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
        cursor.execute(f"REVOKE INSERT ON privacy_accesslog FROM {APP_ROLE}")
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
    try:
        queue = client.get("/api/v1/queue", HTTP_X_REQUEST_ID=REQUEST_ID)
        detail = client.get(f"/api/v1/signals/{signal.pk}", HTTP_X_REQUEST_ID=REQUEST_ID)
        reasons = client.get("/api/v1/reason-codes")  # no resident data, no log row needed
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert (queue.status_code, detail.status_code, reasons.status_code) == (500, 500, 200)
    assert not api_rows().exists()


def test_a_random_id_and_a_foreign_signal_leave_the_same_trace(team):
    outsider = member_of(team_with_coverage("Buurtteam Zuid", postcode="3523AB"))
    foreign = make_signal(state=Status.ROUTED)
    for signal_id in (foreign.pk, uuid.uuid4()):
        assert call(outsider, "get", f"/api/v1/signals/{signal_id}").status_code == 404
    first, second = api_rows().order_by("occurred_at")
    assert (first.details, first.subject_id) == (second.details, second.subject_id)
