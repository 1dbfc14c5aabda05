"""Break-glass: a team member opens a signal outside their teams with a typed reason, for
reading only and for BREAK_GLASS_HOURS; the opening and every read under it are flagged in the
access log and listed for the privacy officer."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from accounts.models import TeamRole
from audit.models import AccessLog
from signals import services
from signals.models import BreakGlassAccess, Signal, SignalUserObjectPermission, Status
from signals.tasks import expire_break_glass_grants
from tests.factories import UserFactory, member_of
from tests.fixtures import token_client
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

REASON = "Bewoner belde de centrale lijn; haar eigen buurtteam is vandaag dicht."


@pytest.fixture
def signal():
    team_with_coverage()
    return make_signal(state=Status.ROUTED)


@pytest.fixture
def outsider():
    """A member of another team: the signal is not theirs."""
    return member_of(team_with_coverage("Buurtteam Overvecht", postcode="3563AB"))


def open_glass(user, signal_id, reason: str = REASON):
    return token_client(user).post(
        f"/api/v1/signals/{signal_id}/break-glass", {"reason": reason}, format="json"
    )


def read(user, signal_id):
    return token_client(user).get(f"/api/v1/signals/{signal_id}")


def rows(**filters) -> list[AccessLog]:
    return list(AccessLog.objects.filter(**filters).order_by("occurred_at"))


# --- opening -----------------------------------------------------------------------------------


def test_outside_the_team_it_is_404_until_glass_is_broken(signal, outsider):
    assert read(outsider, signal.pk).status_code == 404
    before = timezone.now()

    response = open_glass(outsider, signal.pk)

    assert response.status_code == 201, response.content
    access = BreakGlassAccess.objects.get()
    assert str(access.pk) == response.json()["id"]
    assert (access.user, access.signal, access.reason) == (outsider, signal, REASON)
    assert access.expires_at - access.opened_at == timedelta(hours=8)
    assert access.opened_at >= before
    grant = SignalUserObjectPermission.objects.get(user=outsider, content_object=signal)
    assert (grant.permission.codename, grant.expires_at) == ("view_signal", access.expires_at)

    detail = read(outsider, signal.pk)
    assert detail.status_code == 200
    assert detail.json()["resident"]["first_name"] == "Wilhelmina"


def test_the_opening_is_logged_with_its_reason_id_never_its_text(signal, outsider):
    response = open_glass(outsider, signal.pk)
    access = BreakGlassAccess.objects.get()

    row = rows(action="create", object_type="signals.breakglassaccess")[0]
    assert (row.actor_id, row.actor_roles) == (outsider.pk, ["team_member"])
    assert (row.object_type, row.object_id) == ("signals.breakglassaccess", str(access.pk))
    assert (row.subject_id, row.consent_id) == (signal.subject_id, str(signal.consent.pk))
    assert (row.authorisation_rule, row.purpose) == ("break_glass", "signal_handling")
    assert row.fields_touched == ["break_glass_reason"]
    assert row.details == {
        "break_glass": True,
        "reason_id": str(access.pk),
        "signal_id": str(signal.pk),
        "expires_at": response.json()["expires_at"],
    }
    assert "centrale lijn" not in str(row.details)


def test_every_read_under_the_grant_is_flagged(signal, outsider):
    open_glass(outsider, signal.pk)
    access = BreakGlassAccess.objects.get()
    read(outsider, signal.pk)
    read(outsider, signal.pk)

    reads = rows(action="read")
    assert len(reads) == 2
    for row in reads:
        assert row.authorisation_rule == "break_glass"
        assert row.details == {"break_glass": True, "reason_id": str(access.pk)}
        assert row.subject_id == signal.subject_id


def test_the_reason_is_required_and_must_say_something(signal, outsider):
    for body in ({}, {"reason": ""}, {"reason": "nodig"}, {"reason": "         x"}):
        response = token_client(outsider).post(
            f"/api/v1/signals/{signal.pk}/break-glass", body, format="json"
        )
        assert response.status_code == 400, body
        assert "reason" in response.json()["details"]["fields"]
    assert not BreakGlassAccess.objects.exists()
    assert read(outsider, signal.pk).status_code == 404


@pytest.mark.parametrize("role", ["field_worker", "privacy_officer", "admin"])
def test_only_roles_with_the_permission_may_break_glass(signal, role):
    user = UserFactory(**{role: True})
    response = open_glass(user, signal.pk)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert not BreakGlassAccess.objects.exists()


def test_a_coordinator_may_break_glass_too(signal):
    other = team_with_coverage("Buurtteam Overvecht", postcode="3563AB")
    coordinator = member_of(other, TeamRole.COORDINATOR)
    assert open_glass(coordinator, signal.pk).status_code == 201


def test_own_team_needs_no_break_glass(signal):
    member = member_of(signal.team)
    response = open_glass(member, signal.pk)
    assert (response.status_code, response.json()["code"]) == (409, "break_glass_not_needed")
    assert not BreakGlassAccess.objects.exists()


def _withdrawn(signal, officer):
    services.consent_withdraw(signal_id=signal.pk, actor=officer, reason="Brief.")


def _erased(signal, officer):
    services.signal_personal_data_erase(signal_id=signal.pk, actor=officer, reason="art17")


def _restricted(signal, officer):
    services.signal_restrict(signal_id=signal.pk, actor=officer)


@pytest.mark.parametrize("make_ineligible", [_withdrawn, _erased, _restricted])
def test_withdrawn_erased_or_restricted_signals_cannot_be_opened(signal, outsider, make_ineligible):
    make_ineligible(signal, UserFactory(privacy_officer=True))
    response = open_glass(outsider, signal.pk)
    missing = open_glass(outsider, uuid.uuid4())
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()  # no hint why, nor that it exists
    assert not BreakGlassAccess.objects.exists()
    denial = rows(action="access_denied")[0]
    assert (denial.actor_id, denial.object_id) == (outsider.pk, str(signal.pk))


def test_a_signal_no_team_works_on_cannot_be_opened(outsider):
    team_with_coverage()
    unrouted = make_signal(state=Status.RECEIVED)
    assert open_glass(outsider, unrouted.pk).status_code == 404


# --- read only, out of the queue ---------------------------------------------------------------


def test_the_grant_reads_only(signal, outsider):
    open_glass(outsider, signal.pk)
    client = token_client(outsider)
    base = f"/api/v1/signals/{signal.pk}"
    calls = [
        client.post(f"{base}/transitions", {"to": "acknowledged", "version": 2}, format="json"),
        client.post(f"{base}/assign", {"version": 2}, format="json"),
        client.post(f"{base}/notes", {"body": "Even kijken."}, format="json"),
        client.post(f"{base}/withdraw-consent", {}, format="json"),
    ]
    assert [c.status_code for c in calls] == [403, 403, 403, 403]
    assert {c.json()["code"] for c in calls} == {"break_glass_read_only"}
    assert Signal.objects.get(pk=signal.pk).version == signal.version
    assert len(rows(action="access_denied")) == 4


def test_an_opened_signal_stays_out_of_the_queue(signal, outsider):
    open_glass(outsider, signal.pk)
    assert token_client(outsider).get("/api/v1/queue").json()["results"] == []


# --- expiry ------------------------------------------------------------------------------------


def test_the_grant_ends_after_break_glass_hours(signal, outsider, settings):
    settings.BREAK_GLASS_HOURS = 2
    open_glass(outsider, signal.pk)
    access = BreakGlassAccess.objects.get()
    assert access.expires_at - access.opened_at == timedelta(hours=2)

    with time_machine.travel(access.expires_at - timedelta(minutes=1)):
        assert read(outsider, signal.pk).status_code == 200
    with time_machine.travel(access.expires_at + timedelta(seconds=1)):
        # No task has run: visibility itself refuses an expired grant.
        assert SignalUserObjectPermission.objects.filter(user=outsider).exists()
        assert read(outsider, signal.pk).status_code == 404


def test_opening_again_records_the_new_reason_and_extends_the_grant(signal, outsider):
    open_glass(outsider, signal.pk)
    first = BreakGlassAccess.objects.get()
    with time_machine.travel(first.opened_at + timedelta(hours=7)):
        again = open_glass(outsider, signal.pk, "Tweede telefoontje van de dochter.")
        assert again.status_code == 201, again.content
        second = BreakGlassAccess.objects.exclude(pk=first.pk).get()
    grant = SignalUserObjectPermission.objects.get(user=outsider)
    assert grant.expires_at == second.expires_at > first.expires_at
    with time_machine.travel(first.expires_at + timedelta(minutes=1)):
        response = read(outsider, signal.pk)
    assert response.status_code == 200
    assert rows(action="read")[0].details["reason_id"] == str(second.pk)


def test_the_beat_task_removes_expired_grants_and_keeps_the_register(signal, outsider):
    from django.contrib.auth.models import Permission

    standing = member_of(team_with_coverage("Buurtteam Zuid", postcode="3523AB"))
    SignalUserObjectPermission.objects.create(
        user=standing,
        permission=Permission.objects.get(codename="view_signal"),
        content_object=signal,
    )
    open_glass(outsider, signal.pk)
    access = BreakGlassAccess.objects.get()

    assert expire_break_glass_grants.apply().get() == 0  # still valid
    with time_machine.travel(access.expires_at + timedelta(seconds=1)):
        assert expire_break_glass_grants.apply().get() == 1
    assert list(SignalUserObjectPermission.objects.values_list("user", flat=True)) == [standing.pk]
    assert BreakGlassAccess.objects.filter(pk=access.pk).exists()


# --- the privacy officer's review --------------------------------------------------------------


def test_the_privacy_officer_lists_openings_with_their_reasons(signal, outsider):
    open_glass(outsider, signal.pk)
    access = BreakGlassAccess.objects.get()
    officer = UserFactory(privacy_officer=True)

    response = token_client(officer).get("/api/v1/audit/break-glass")

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": str(access.pk),
            "signal_id": str(signal.pk),
            "opened_at": response.json()["results"][0]["opened_at"],
            "expires_at": response.json()["results"][0]["expires_at"],
            "user_id": str(outsider.pk),
            "user_organisation_id": str(outsider.organisation_id),
            "subject_id": str(signal.subject_id),
            "reason": REASON,
        }
    ]
    audit = rows(action="audit_read")[0]
    assert (audit.actor_id, audit.purpose, audit.object_type) == (
        officer.pk,
        "audit",
        "signals.breakglassaccess",
    )
    assert audit.fields_touched == ["break_glass_reason"]
    assert audit.details == {"count": 1, "subject_ids": [str(signal.subject_id)]}
    assert "no-store" in response["Cache-Control"]


def test_the_access_log_filters_break_glass_rows(signal, outsider):
    member = member_of(signal.team)
    read(member, signal.pk)
    open_glass(outsider, signal.pk)
    read(outsider, signal.pk)
    officer = token_client(UserFactory(privacy_officer=True))

    flagged = officer.get("/api/v1/audit/access-log", {"break_glass": "true"}).json()["results"]
    assert [(r["action"], r["actor_id"]) for r in flagged] == [
        ("read", str(outsider.pk)),
        ("create", str(outsider.pk)),
    ]
    rest = officer.get("/api/v1/audit/access-log", {"break_glass": "false"}).json()["results"]
    assert {r["authorisation_rule"] for r in rest} >= {"team_membership"}
    assert "break_glass" not in {r["authorisation_rule"] for r in rest}
    everything = officer.get("/api/v1/audit/access-log").json()["results"]
    assert len(everything) == len(flagged) + len(rest) + 1  # + the break_glass=false query


def test_the_reason_is_encrypted_at_rest(signal, outsider):
    open_glass(outsider, signal.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM signals_breakglassaccess")
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAAA") and "centrale" not in stored
