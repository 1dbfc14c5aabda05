"""Issue 8 item 1: no Django session reaches the API or a page with personal data unless its
second factor is verified, and the admin's OTP login is the only way a session is opened.
A password-only session is what /api-auth/login/ (DRF's login, now unmounted) handed out."""

import pytest
from django.contrib.auth.views import LoginView
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts.models import TeamRole
from audit.models import AccessLog, Action
from signals.models import Status
from tests.accounts.helpers import password_only_session, verified_session
from tests.factories import UserFactory, member_of
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

CSRF_SECRET = "a" * 32


@pytest.fixture
def world():
    team = team_with_coverage()
    member = member_of(team, TeamRole.COORDINATOR)
    signal = make_signal(state=Status.ACKNOWLEDGED, worker=member)
    officer = UserFactory(privacy_officer=True)
    return {"member": member, "signal": signal, "officer": officer}


def personal_data_requests(world):
    """(who, method, url, body): each route the attacker reached with a password-only session."""
    signal = world["signal"]
    return [
        ("member", "get", reverse("queue"), None),
        ("member", "get", reverse("signal-detail", args=[signal.pk]), None),
        ("member", "post", reverse("signal-notes", args=[signal.pk]), {"body": "Gebeld."}),
        ("officer", "get", reverse("audit-access-log"), None),
        ("officer", "get", reverse("privacy-subject-export", args=[signal.subject_id]), None),
    ]


def test_a_password_only_session_gets_401_on_queue_detail_notes_audit_and_export(world):
    for who, method, url, body in personal_data_requests(world):
        client = password_only_session(APIClient(), world[who])
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 401, (url, response.status_code)
        assert response.json()["code"] == "not_authenticated"
    assert not world["signal"].notes.exists()
    assert not AccessLog.objects.filter(action__in=[Action.READ, Action.LIST, Action.EXPORT])


def test_a_verified_session_reaches_the_api(world):
    member = verified_session(APIClient(), world["member"])
    assert member.get(reverse("queue")).status_code == 200
    detail = member.get(reverse("signal-detail", args=[world["signal"].pk]))
    assert detail.status_code == 200
    note = member.post(
        reverse("signal-notes", args=[world["signal"].pk]), {"body": "Gebeld."}, format="json"
    )
    assert note.status_code == 201
    officer = verified_session(APIClient(), world["officer"])
    assert officer.get(reverse("audit-access-log")).status_code == 200


def test_a_verified_session_must_send_the_csrf_token_on_writes(world):
    client = verified_session(APIClient(enforce_csrf_checks=True), world["member"])
    client.cookies["csrftoken"] = CSRF_SECRET
    url = reverse("signal-notes", args=[world["signal"].pk])
    refused = client.post(url, {"body": "Gebeld."}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    accepted = client.post(url, {"body": "Gebeld."}, format="json", HTTP_X_CSRFTOKEN=CSRF_SECRET)
    assert accepted.status_code == 201


def test_a_verified_session_of_a_deactivated_user_is_refused(world):
    client = verified_session(APIClient(), world["member"])
    type(world["member"]).objects.filter(pk=world["member"].pk).update(is_active=False)
    assert client.get(reverse("queue")).status_code == 401


def test_api_logout_refuses_a_django_session_instead_of_answering_done(world):
    """POST /auth/logout ends app login sessions (tokens). With a verified Django session it
    answered 204 and ended nothing; now it says so, and the session is untouched."""
    client = verified_session(APIClient(), world["member"])
    response = client.post(reverse("auth-logout"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "logout_not_a_login_session"
    assert client.get(reverse("me")).status_code == 200


def test_a_password_only_session_cannot_use_the_admin(client):
    admin_user = UserFactory(admin=True)
    worker = UserFactory(field_worker=True, full_name="Oud")
    password_only_session(client, admin_user)
    assert client.get(reverse("admin:index")).status_code == 302
    change = reverse("admin:accounts_user_change", args=[worker.pk])
    assert client.get(change).status_code == 302
    response = client.post(change, {"email": worker.email, "full_name": "Overgenomen"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    worker.refresh_from_db()
    assert worker.full_name == "Oud"


def test_drf_login_page_is_not_mounted(client):
    user = UserFactory(admin=True)
    response = client.post("/api-auth/login/", {"username": user.email, "password": "x"})
    assert response.status_code == 404


def _views():
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.append((prefix + str(entry.pattern), entry))

    walk(get_resolver().url_patterns, "")
    return found


def test_the_admin_and_workspace_otp_logins_are_the_only_login_pages():
    """Every other path that opens a session would need its own login row: there is none. The
    workspace's login (issue 13) asks for the second factor too (accounts.session_login)."""
    login_views = [
        route
        for route, pattern in _views()
        if issubclass(getattr(pattern.callback, "view_class", object), LoginView)
        or pattern.name == "login"
    ]
    assert login_views == ["admin/login/", "werkruimte/inloggen/"]


@pytest.mark.urls("tests.accounts.guarded_urls")
def test_the_page_guard_lets_only_a_verified_session_in(client):
    page = "/page"
    user = member_of(team_with_coverage())
    anonymous = client.get(page)
    assert anonymous.status_code == 302
    password_only_session(client, user)
    refused = client.get(page)
    assert refused.status_code == 302
    assert "next=" in refused["Location"]
    verified_session(client, user)
    assert client.get(page).content == b"resident data"


def test_the_admin_login_asks_for_the_code_in_one_step_without_a_device_choice(client):
    """Issue 13: the first form has e-mail, password and code; a recovery code or the app's
    code works without choosing a device, and a failed submit adds no device choice."""
    from tests.accounts.helpers import fresh_code, totp_device
    from tests.factories import PASSWORD, UserFactory

    admin_user = UserFactory(admin=True)
    device = totp_device(admin_user)
    first = client.get(reverse("admin:login")).content.decode()
    assert 'name="otp_token"' in first and 'name="otp_device"' not in first
    wrong = client.post(
        reverse("admin:login"),
        {"username": admin_user.email, "password": PASSWORD, "otp_token": "000000"},
    ).content.decode()
    assert 'name="otp_device"' not in wrong and 'name="otp_challenge"' not in wrong
    response = client.post(
        reverse("admin:login"),
        {"username": admin_user.email, "password": PASSWORD, "otp_token": fresh_code(device)},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
