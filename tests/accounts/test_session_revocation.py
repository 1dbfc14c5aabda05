"""Issue 8 item 5: credentials do not outlive their revocation. After a password change, a
deactivation and reactivation (service or admin tick box), or a second-factor reset or
replacement, every earlier access token, refresh token and Django session is refused. A login
session ends LOGIN_SESSION_MAX_DAYS after login however often it is refreshed, and a
password-only token reaches nothing once the user's roles need a second factor."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient, APIRequestFactory

from accounts import services
from accounts.authentication import SessionBoundJWTAuthentication
from accounts.models import LoginSession
from accounts.roles import SUBMIT_SIGNAL, Role
from accounts.services import team_membership_set
from audit.models import AccessLog, Action
from tests.accounts.helpers import (
    SYSTEM,
    admin_login,
    code_for,
    totp_device,
    verified_session,
)
from tests.factories import PASSWORD, TeamFactory, UserFactory
from tests.fixtures import token_client

pytestmark = pytest.mark.django_db

LOGIN = reverse("auth-login")
REFRESH = reverse("auth-refresh")
ME = reverse("me")


def refresh(pair) -> int:
    return APIClient().post(REFRESH, {"refresh": pair.refresh}, format="json")


def assert_ended(client: APIClient) -> None:
    """The client's access token and its refresh token are both refused."""
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "session_revoked"
    assert refresh(client.token_pair).status_code == 401


def test_a_password_changed_outside_the_services_still_ends_every_session():
    """The root: the session fingerprint holds the password hash, whatever path changes it."""
    user = UserFactory(field_worker=True)
    client = token_client(user)
    assert client.get(ME).status_code == 200
    user.set_password("another-long-passphrase-7")
    user.save()
    assert_ended(client)


def test_a_password_change_in_the_admin_ends_every_other_session_and_is_logged():
    admin_user = UserFactory(admin=True)
    device = totp_device(admin_user)
    app = token_client(admin_user)
    here, elsewhere = (
        admin_login(Client(), admin_user, device),
        verified_session(Client(), admin_user, device),
    )
    new = "a-new-long-passphrase-42"
    response = here.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302, response.content[:1000]
    assert_ended(app)
    assert elsewhere.get(reverse("admin:index")).status_code == 302  # back to the login
    assert here.get(reverse("admin:index")).status_code == 200  # this session stays
    row = AccessLog.objects.get(action=Action.CREDENTIAL_CHANGE)
    assert (row.object_type, row.object_id) == ("accounts.user", str(admin_user.pk))
    assert row.details == {"change": "password_changed", "sessions_ended": 1}


def test_deactivation_and_reactivation_end_earlier_sessions():
    user = UserFactory(field_worker=True)
    client = token_client(user)
    browser = verified_session(APIClient(), user)
    services.user_deactivate(user=user, **SYSTEM)
    services.user_reactivate(user=user, **SYSTEM)
    assert_ended(client)
    assert browser.get(ME).status_code == 401
    changes = AccessLog.objects.filter(action=Action.CREDENTIAL_CHANGE).order_by("occurred_at")
    assert [row.details["change"] for row in changes] == ["deactivated", "reactivated"]


def _change_form(user, **overrides):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "organisation": user.organisation_id,
        "language": "nl",
        "groups": [group.pk for group in user.groups.all()],
        "is_active": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_unticking_and_ticking_is_active_in_the_admin_ends_earlier_sessions():
    admin = admin_login(Client(), UserFactory(admin=True))
    worker = UserFactory(field_worker=True)
    client = token_client(worker)
    url = reverse("admin:accounts_user_change", args=[worker.pk])
    assert admin.post(url, _change_form(worker, is_active=None)).status_code == 302
    worker.refresh_from_db()
    assert worker.is_active is False
    assert admin.post(url, _change_form(worker)).status_code == 302
    worker.refresh_from_db()
    assert worker.is_active is True
    assert_ended(client)
    assert set(
        LoginSession.objects.filter(user=worker).values_list("revoked_reason", flat=True)
    ) == {"user_deactivated"}


def test_a_second_factor_reset_ends_every_session():
    member = UserFactory()
    team_membership_set(team=TeamFactory(), user=member, role="member", **SYSTEM)
    totp_device(member)
    client = token_client(member)
    browser = verified_session(APIClient(), member)
    services.credentials_reset(user=member, **SYSTEM)
    assert_ended(client)
    assert browser.get(ME).status_code == 401


def test_replacing_the_second_factor_ends_the_sessions_on_other_devices():
    member = UserFactory()
    team_membership_set(team=TeamFactory(), user=member, role="member", **SYSTEM)
    old = totp_device(member)
    phone, tablet = token_client(member), token_client(member)
    body = {"code": code_for(old), "password": PASSWORD}
    assert phone.post(reverse("auth-mfa-totp"), body, format="json").status_code == 200
    new = member.totpdevice_set.get(confirmed=False)
    confirm = {"code": code_for(new), "password": PASSWORD}
    response = phone.post(reverse("auth-mfa-totp-confirm"), confirm, format="json")
    assert response.status_code == 200
    assert_ended(tablet)
    assert_ended(phone)  # the session that replaced it too: it got a new pair instead
    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['tokens']['access']}")
    assert fresh.get(ME).status_code == 200


def test_a_login_session_ends_after_login_session_max_days_however_often_refreshed(settings):
    user = UserFactory(field_worker=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        pair = (
            APIClient()
            .post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")
            .json()
        )
    for day in (6, 12, 18, 24, 29):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            response = APIClient().post(REFRESH, {"refresh": pair["refresh"]}, format="json")
            assert response.status_code == 200, day
            pair = response.json()
    with time_machine.travel(start + timedelta(days=settings.LOGIN_SESSION_MAX_DAYS, seconds=1)):
        response = APIClient().post(REFRESH, {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 401


def test_the_absolute_lifetime_is_checked_on_every_request(settings):
    """Also when the session comes from the cache (accounts.session_cache): the session is two
    minutes short of its end when it is cached, and past it three minutes later while its
    access token is still valid."""
    client = token_client(UserFactory(field_worker=True))
    almost = timezone.now() - timedelta(days=settings.LOGIN_SESSION_MAX_DAYS, minutes=-2)
    LoginSession.objects.update(created_at=almost)
    assert client.get(ME).status_code == 200
    assert client.get(ME).status_code == 200  # from the cache
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert_ended(client)


def test_a_password_only_token_gets_mfa_required_once_the_user_joins_a_team():
    worker = UserFactory(field_worker=True)
    pair = (
        APIClient().post(LOGIN, {"email": worker.email, "password": PASSWORD}, format="json").json()
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert client.get(reverse("my-signals")).status_code == 200
    team_membership_set(team=TeamFactory(), user=worker, role="member", **SYSTEM)
    for url in (reverse("queue"), reverse("my-signals"), ME):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "mfa_required"


def test_authentication_is_one_query_and_the_role_check_fills_the_permission_cache():
    worker = UserFactory(field_worker=True)
    member = UserFactory()
    member.groups.add(Group.objects.get(name=Role.TEAM_MEMBER))
    authenticator = SessionBoundJWTAuthentication()
    factory = APIRequestFactory()

    def authenticate(pair):
        request = factory.get("/", HTTP_AUTHORIZATION=f"Bearer {pair.access}")
        return authenticator.authenticate(request)

    with_otp = services.login_session_open(user=member, amr=["pwd", "otp"])
    with CaptureQueriesContext(connection) as queries:
        authenticate(with_otp)
    assert len(queries) == 1  # session and user together

    password_only = services.login_session_open(user=worker, amr=["pwd"])
    user, _ = authenticate(password_only)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm(SUBMIT_SIGNAL)  # the view's capability check
    assert len(queries) == 0


def test_deactivating_and_reactivating_by_plain_save_ends_every_session(client):
    """Issue 18 part 7: the epoch moves with is_active in the database (accounts migration
    0008), not only in the services and the admin form that call them."""
    user = UserFactory(field_worker=True)
    tokens = token_client(user)
    browser = verified_session(client, user)
    assert tokens.get(ME).status_code == 200 and browser.get(ME).status_code == 200
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()
    assert_ended(tokens)
    assert browser.get(ME).status_code == 401


def test_a_stale_user_object_cannot_bring_the_old_epoch_back():
    user = UserFactory(field_worker=True)
    stale = type(user).objects.get(pk=user.pk)
    services.login_sessions_end(user=user, reason="test")
    client = token_client(user)
    stale.full_name = "Nieuwe Naam"
    stale.save()  # writes every field, the epoch read before the sessions ended among them
    stale.refresh_from_db()
    assert stale.credential_epoch == user.credential_epoch
    assert client.get(ME).status_code == 200
