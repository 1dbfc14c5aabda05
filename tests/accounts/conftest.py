"""Fixtures of the credential-reset tests: a team member with a second factor and recovery
codes, and a functional admin logged in to /admin/."""

import pytest
from django.test import Client

from accounts.models import User
from accounts.services import recovery_codes_replace, team_membership_set
from tests.accounts.helpers import SYSTEM, admin_login, totp_device
from tests.factories import TeamFactory, UserFactory


@pytest.fixture
def member():
    user = UserFactory()
    team_membership_set(team=TeamFactory(), user=user, role="member", **SYSTEM)
    totp_device(user)
    recovery_codes_replace(user=user)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def admin_client():
    admin_user = UserFactory(admin=True)
    client = admin_login(Client(), admin_user)
    client.user = admin_user
    return client
