"""Issue 8 item 3: one normal form of an e-mail address (NFKC + casefold) at storage and at every
lookup, so Unicode lookalikes are the same account (same lockout counter) or no account."""

import importlib

import pytest
from axes.models import AccessAttempt
from django.apps import apps as django_apps
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.account_log import credential_hash
from accounts.emails import normalise_email
from accounts.models import LoginSession, User
from accounts.services import user_create
from accounts.services.lockout import login_username_from_credentials
from tests.accounts.helpers import SYSTEM, admin_login
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("auth-login")
EMAIL = "kim.sims@example.test"
DOTLESS_I = "k\u0131m.sims@example.test"  # dotless i: PostgreSQL UPPER() makes it `I`
LONG_S = "kim.\u017fims@example.test"  # long s: NFKC makes it `s`
FULL_WIDTH = "kim.sims@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.test"  # full-width `example`
KELVIN = "\u212aim.sims@example.test"  # the Kelvin sign: NFKC makes it `K`
SAME_ACCOUNT = [LONG_S, FULL_WIDTH, KELVIN, "KIM.SIMS@EXAMPLE.TEST", " kim.sims@example.test "]


def login(email: str, password: str = PASSWORD):
    return APIClient().post(LOGIN, {"email": email, "password": password}, format="json")


def test_lookalikes_of_a_locked_account_neither_log_in_nor_get_a_fresh_counter(settings):
    UserFactory(email=EMAIL, field_worker=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(EMAIL, "wrong-password")
    assert login(EMAIL).status_code == 429

    for variant in SAME_ACCOUNT:
        response = login(variant)
        assert response.status_code == 429, variant  # the same account, the same counter
        assert response.json()["code"] == "login_locked"
    dotless = login(DOTLESS_I)
    assert dotless.status_code == 401  # no account: the dotless i is another letter
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key(DOTLESS_I)
    assert not LoginSession.objects.exists()
    counters = set(AccessAttempt.objects.values_list("username", flat=True))
    assert counters == {EMAIL, normalise_email(DOTLESS_I)}


def test_the_admin_login_shares_the_lockout_of_a_lookalike(client, settings):
    """A guard for the admin's path (its form field applies NFKC, then our axes callable and
    backend lookup): it held before this change too."""
    UserFactory(email=EMAIL, admin=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(EMAIL, "wrong-password")
    response = client.post(reverse("admin:login"), {"username": LONG_S, "password": PASSWORD})
    assert response.status_code == 429


def test_addresses_are_stored_in_the_normal_form():
    created = User.objects.create_user(email="Kim.Sims@EXAMPLE.test", password=None)
    assert created.email == EMAIL
    full_width_lisa = " \uff2c\uff29\uff33\uff21@example.test"
    assert user_create(email=full_width_lisa, **SYSTEM).email == "lisa@example.test"


def test_every_key_on_the_address_uses_the_same_normal_form():
    variants = [EMAIL, *SAME_ACCOUNT]
    assert {normalise_email(v) for v in variants} == {EMAIL}
    assert {login_username_from_credentials(None, {"email": v}) for v in variants} == {EMAIL}
    assert {login_username_from_credentials(None, {"username": v}) for v in variants} == {EMAIL}
    assert {credential_hash(v) for v in variants} == {credential_hash(EMAIL)}
    user = UserFactory(email=EMAIL)
    assert {User.objects.get_by_natural_key(v).pk for v in variants} == {user.pk}


def test_the_admin_add_form_stores_the_normal_form(client):
    admin_login(client, UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:accounts_user_add"), {"email": "Nieuw.Lid@Example.TEST", "language": "nl"}
    )
    assert response.status_code == 200, response.content[:500]  # the one-time code page
    assert User.objects.filter(email="nieuw.lid@example.test").exists()


def test_the_data_migration_normalises_stored_addresses():
    user = UserFactory(email=EMAIL)
    User.objects.filter(pk=user.pk).update(email="Kim.\u017fims@Example.TEST")
    migration = importlib.import_module("accounts.migrations.0004_normalise_emails")
    migration.normalise(django_apps, None)
    user.refresh_from_db()
    assert user.email == EMAIL


def test_the_data_migration_stops_on_addresses_that_fold_together():
    first = UserFactory(email=EMAIL)
    second = UserFactory(email="other@example.test")
    User.objects.filter(pk=second.pk).update(email=LONG_S)
    migration = importlib.import_module("accounts.migrations.0004_normalise_emails")
    with pytest.raises(RuntimeError) as refused:
        migration.normalise(django_apps, None)
    assert str(first.pk) in str(refused.value) and EMAIL not in str(refused.value)
