"""The workspace's pages through Django's test client: the login steps, the guard, the same
services, refusals and access-log rows as the API, and the headers every page carries."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AccessLog, Action
from backend.errors import message_for
from signals.models import SignalEvent, Status
from tests.accounts.helpers import code_for, fresh_code, password_only_session, totp_device
from tests.factories import PASSWORD, UserFactory, member_of
from tests.workspace.helpers import LOGIN, two_teams, workspace_login

pytestmark = pytest.mark.django_db

QUEUE = "/werkruimte/wachtrij/"


MISSING = "00000000-0000-4000-8000-000000000000"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _comparable(response, signal_id) -> str:
    return CSRF.sub("", response.content.decode()).replace(str(signal_id), "")


def page_of(signal) -> str:
    return f"/werkruimte/signalen/{signal.pk}/"


def test_login_takes_the_password_then_a_totp_code_and_logs_it(client):
    world = two_teams()
    device = totp_device(world.member)
    wrong = client.post(LOGIN, {"email": world.member.email, "password": "nope-nope-nope"})
    assert wrong.status_code == 200
    assert AccessLog.objects.filter(action=Action.LOGIN_FAILED).count() == 1
    response = client.post(LOGIN, {"email": world.member.email, "password": PASSWORD})
    assert response["Location"] == LOGIN + "code/"
    assert client.get(QUEUE).status_code == 302  # the password alone opens nothing
    response = client.post(LOGIN + "code/", {"code": code_for(device)})
    assert response.status_code == 302
    assert client.get(QUEUE).status_code == 200
    login = AccessLog.objects.filter(action=Action.LOGIN, actor_id=world.member.pk).get()
    assert login.details["method"] == "session_totp"


def test_a_wrong_code_is_refused_and_counted(client):
    world = two_teams()
    totp_device(world.member)
    client.post(LOGIN, {"email": world.member.email, "password": PASSWORD})
    response = client.post(LOGIN + "code/", {"code": "000000"})
    assert response.status_code == 200
    assert client.get(QUEUE).status_code == 302
    failed = AccessLog.objects.filter(action=Action.LOGIN_FAILED).get()
    assert failed.details["reason"] == "mfa_code"


def test_first_login_links_an_authenticator_by_qr_code(client):
    world = two_teams()
    response = client.post(LOGIN, {"email": world.member.email, "password": PASSWORD})
    assert response["Location"] == LOGIN + "koppelen/"
    page = client.get(LOGIN + "koppelen/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    pending = TOTPDevice.objects.get(user=world.member, confirmed=False)
    wrong = client.post(LOGIN + "koppelen/", {"code": "000000"}).content.decode()
    assert re.search(r'src="data:image/svg\+xml;base64,', wrong)  # the same QR code again
    assert TOTPDevice.objects.filter(user=world.member, confirmed=False).get() == pending
    codes = client.post(LOGIN + "koppelen/", {"code": fresh_code(pending)})
    assert codes.status_code == 200 and len(codes.context["codes"]) == 10
    assert client.get(QUEUE).status_code == 200
    assert TOTPDevice.objects.get(pk=pending.pk).confirmed
    login = AccessLog.objects.filter(action=Action.LOGIN, actor_id=world.member.pk).get()
    assert login.details["method"] == "session_totp_enrolment"


def test_a_password_only_session_reaches_no_page(client):
    world = two_teams()
    password_only_session(client, world.member)
    for path in (QUEUE, page_of(world.signal), "/werkruimte/privacy/toegangslog/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN + "?next=")


def test_logout_ends_the_session(client):
    world = two_teams()
    workspace_login(client, world.member)
    assert client.post("/werkruimte/uitloggen/").status_code == 302
    assert client.get(QUEUE).status_code == 302


def test_every_page_is_no_store_with_a_strict_csp(client):
    world = two_teams()
    for response in (client.get(LOGIN), workspace_login(client, world.member).get(QUEUE)):
        assert "no-store" in response["Cache-Control"]
        policy = response["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_the_queue_lists_the_own_team_and_marks_new_signals_until_opened(client):
    world = two_teams()
    workspace_login(client, world.member)
    response = client.get(QUEUE)
    assert [row.pk for row in response.context["rows"]] == [world.signal.pk]
    assert world.signal.pk not in response.context["seen"]
    assert response.context["counts"]["per_status"][Status.ROUTED] == 1
    listed = AccessLog.objects.filter(action=Action.LIST, actor_id=world.member.pk).get()
    assert listed.details["subject_ids"] == [str(world.signal.subject_id)]
    client.get(page_of(world.signal))
    assert world.signal.pk in client.get(QUEUE).context["seen"]


def test_the_queue_filters_by_buurt_name_and_orders_by_newest(client):
    world = two_teams()
    workspace_login(client, world.member)
    buurt = world.signal.neighbourhood.name
    by_name = client.get(QUEUE, {"buurt": buurt, "ordering": "newest"})
    assert [row.pk for row in by_name.context["rows"]] == [world.signal.pk]
    elsewhere = client.get(QUEUE, {"buurt": "Nergens"})
    assert elsewhere.context["rows"] == []


def test_another_teams_signal_is_the_same_404_as_a_missing_one_and_is_logged(client):
    world = two_teams()
    workspace_login(client, world.member)
    foreign = client.get(page_of(world.foreign))
    missing = client.get(f"/werkruimte/signalen/{MISSING}/")
    assert foreign.status_code == missing.status_code == 404
    # The same page but for its own path (the language switch's return address) and the
    # masked CSRF token, which differs on every page.
    assert _comparable(foreign, world.foreign.pk) == _comparable(missing, MISSING)
    denied = AccessLog.objects.filter(action=Action.ACCESS_DENIED, actor_id=world.member.pk)
    assert denied.count() == 2
    assert world.foreign.resident_first_name not in foreign.content.decode()


def test_the_signal_page_shows_the_facts_and_logs_the_read(client):
    world = two_teams()
    workspace_login(client, world.member)
    page = client.get(page_of(world.signal)).content.decode()
    assert "Wilhelmina" in page and "Zit vaak alleen" in page
    read = AccessLog.objects.filter(action=Action.READ, actor_id=world.member.pk).get()
    assert read.subject_id == world.signal.subject_id
    assert "resident_first_name" in read.fields_touched


def test_a_stale_version_is_a_message_in_the_pages_language(client):
    world = two_teams()
    workspace_login(client, world.member)
    url = page_of(world.signal) + "status/"
    response = client.post(url, {"to": "acknowledged", "version": 99}, follow=True)
    assert response.status_code == 200
    assert message_for("version_conflict", "nl") in response.content.decode()
    english = client.post(
        url, {"to": "acknowledged", "version": 99}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert message_for("version_conflict", "en") in english.content.decode()


def test_a_coordinator_assigns_and_forwards(client):
    world = two_teams()
    workspace_login(client, world.coordinator)
    signal = world.signal
    client.post(
        page_of(signal) + "toewijzen/", {"version": signal.version, "assignee": world.member.pk}
    )
    signal.refresh_from_db()
    assert signal.assigned_to == world.member
    response = client.post(
        page_of(signal) + "doorsturen/",
        {"version": signal.version, "team": world.b.pk, "reason": "Woont in Zuid."},
    )
    assert response["Location"] == QUEUE
    signal.refresh_from_db()
    assert signal.status in (Status.FORWARDED, Status.ROUTED)
    assert signal.events.filter(type=SignalEvent.Type.FORWARDED).exists()


def test_a_member_cannot_assign_to_someone_else_as_in_the_api(client):
    world = two_teams()
    workspace_login(client, world.member)
    other = member_of(world.a)
    response = client.post(
        page_of(world.signal) + "toewijzen/",
        {"version": world.signal.version, "assignee": other.pk},
    )
    world.signal.refresh_from_db()
    assert world.signal.assigned_to is None
    assert response.status_code == 403
    assert message_for("coordinator_required", "nl") in response.content.decode()


def test_the_coordinator_page_shows_workload_per_member(client):
    world = two_teams()
    workspace_login(client, world.coordinator)
    response = client.get("/werkruimte/coordinatie/")
    assert response.status_code == 200
    (team,) = response.context["teams"]
    assert team.unassigned == 1
    assert {m.user_id for m in team.members} == {world.member.pk, world.coordinator.pk}
    assert client.get("/werkruimte/coordinatie/").status_code == 200


def test_a_member_gets_403_on_the_coordinator_and_privacy_pages(client):
    world = two_teams()
    workspace_login(client, world.member)
    assert client.get("/werkruimte/coordinatie/").status_code == 403
    assert client.get("/werkruimte/privacy/toegangslog/").status_code == 403


def test_the_privacy_officer_filters_the_access_log_and_the_search_is_logged(client):
    world = two_teams()
    # Reads that log rows about two residents: the filter must keep one and drop the other.
    member = workspace_login(Client(), world.member)
    assert member.get(page_of(world.signal)).status_code == 200
    other = workspace_login(Client(), world.other_member)
    assert other.get(page_of(world.foreign)).status_code == 200
    officer = UserFactory(privacy_officer=True)
    workspace_login(client, officer)
    response = client.get(
        "/werkruimte/privacy/toegangslog/", {"subject": str(world.signal.subject_id)}
    )
    assert response.status_code == 200
    # Rows about the subject are there (the member's read of the signal), and only those: an
    # empty answer would pass a subset check, so the filter must find something.
    assert {row.subject_id for row in response.context["rows"]} == {world.signal.subject_id}
    audit = AccessLog.objects.filter(action=Action.AUDIT_READ, actor_id=officer.pk).get()
    assert audit.subject_id == world.signal.subject_id
    bad = client.get("/werkruimte/privacy/toegangslog/", {"subject": "not-a-uuid"})
    assert bad.status_code == 200 and bad.context["rows"] == []


def test_the_privacy_officer_looks_up_a_signals_subject_id_and_it_is_logged(client):
    world = two_teams()
    officer = UserFactory(privacy_officer=True)
    workspace_login(client, officer)
    response = client.post("/werkruimte/privacy/betrokkene/", {"signal": world.signal.pk})
    assert str(world.signal.subject_id) in response.content.decode()
    row = AccessLog.objects.filter(action=Action.READ, actor_id=officer.pk).get()
    assert row.subject_id == world.signal.subject_id
    assert row.details["operation"] == "subject_lookup"


@pytest.mark.parametrize(
    "path",
    [
        "/werkruimte/privacy/noodinzage/",
        "/werkruimte/privacy/verzoeken/",
        "/werkruimte/privacy/registers/",
        "/werkruimte/privacy/toestemmingen/",
    ],
)
def test_the_privacy_officer_pages_open(client, path):
    two_teams()
    workspace_login(client, UserFactory(privacy_officer=True))
    assert client.get(path).status_code == 200


def test_quiet_hours_and_digest_are_set_on_the_settings_page(client):
    world = two_teams()
    workspace_login(client, world.member)
    response = client.post(
        "/werkruimte/instellingen/",
        {
            "quiet_hours_start": "21:00",
            "quiet_hours_end": "08:00",
            "timezone": "Europe/Amsterdam",
        },
    )
    assert response.status_code == 302
    preference = world.member.notification_preference
    assert (preference.quiet_hours_start.hour, preference.daily_digest) == (21, False)


def test_english_pages_say_nothing_in_dutch(client):
    world = two_teams()
    workspace_login(client, world.member)
    page = client.get(page_of(world.signal), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page
    for dutch in ("Wachtrij", "Toegewezen aan team", "Thuiswonende oudere", "Tijdlijn"):
        assert dutch not in page, dutch


def test_a_workspace_session_ends_after_browser_session_hours(client, settings):
    settings.BROWSER_SESSION_HOURS = 3
    world = two_teams()
    workspace_login(client, world.member)
    assert 3 * 3600 - 60 < client.session.get_expiry_age() <= 3 * 3600
    with time_machine.travel(timezone.now() + timedelta(hours=3, minutes=1)):
        assert client.get(QUEUE).status_code == 302
