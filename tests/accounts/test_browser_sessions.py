"""Issue 18 part 7: one fixed lifetime and one second-factor rule for every browser session,
whichever login opened it (docs/adr/0035)."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import TeamRole
from audit.models import AccessLog, Action
from tests.accounts.helpers import admin_login, totp_device
from tests.factories import PASSWORD, UserFactory, member_of
from tests.signals.factories import team_with_coverage
from tests.workspace.helpers import LOGIN, workspace_login

pytestmark = pytest.mark.django_db

QUEUE = "/werkruimte/wachtrij/"
ACCESS_LOG = "/api/v1/audit/access-log"


def test_visiting_the_login_page_with_next_does_not_move_the_session_end(client, settings):
    settings.BROWSER_SESSION_HOURS = 10
    member = member_of(team_with_coverage(), TeamRole.MEMBER)
    workspace_login(client, member)
    end = client.session.get_expiry_date()
    with time_machine.travel(timezone.now() + timedelta(hours=9)):
        assert client.get(LOGIN + "?next=" + QUEUE).status_code == 200
        assert client.session.get_expiry_date() == end
    with time_machine.travel(timezone.now() + timedelta(hours=10, minutes=1)):
        assert client.get(QUEUE).status_code == 302


def test_an_admin_login_session_ends_with_the_workspace_lifetime(client, settings):
    settings.BROWSER_SESSION_HOURS = 10
    officer = UserFactory(privacy_officer=True, is_staff=True)
    admin_login(client, officer)
    assert client.get("/admin/").status_code == 200
    assert client.get(ACCESS_LOG).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=10, minutes=1)):
        assert client.get("/admin/").status_code == 302
        api = APIClient()
        api.cookies = client.cookies
        assert api.get(ACCESS_LOG).status_code == 401


def test_an_admin_login_writes_the_session_login_row(client):
    officer = UserFactory(is_staff=True)
    admin_login(client, officer)
    row = AccessLog.objects.filter(action=Action.LOGIN, actor_id=officer.pk).get()
    assert row.details == {"method": "admin_totp"}


def test_a_wrong_admin_code_counts_towards_the_lockout_like_the_workspace(client):
    officer = UserFactory(is_staff=True)
    totp_device(officer)
    response = client.post(
        "/admin/login/", {"username": officer.email, "password": PASSWORD, "otp_token": "000000"}
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().failures_since_start == 1
    refused = AccessLog.objects.filter(action=Action.LOGIN_FAILED).get()
    assert refused.details["reason"] == "mfa_code"
