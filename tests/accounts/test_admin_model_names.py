"""The admin names models and apps in the language of the page: English under `en`, Dutch
under `nl`, never a mix (issue 13)."""

import pytest
from django.urls import reverse

from tests.accounts.helpers import admin_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = ["Accounts and teams", "Signals", "Routing rules", "Deadline policies", "Users"]
DUTCH = ["Accounts en teams", "Signalen", "Routeringsregels", "Termijnregels", "Gebruikers"]


def admin_index(client, language: str) -> str:
    admin_login(client, UserFactory(admin=True, is_superuser=True))
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_index_names_models_in_english_under_en(client):
    page = admin_index(client, "en")
    assert all(name in page for name in ENGLISH), [n for n in ENGLISH if n not in page]
    assert not [name for name in DUTCH if name in page]


def test_the_admin_index_names_models_in_dutch_under_nl(client):
    page = admin_index(client, "nl")
    assert all(name in page for name in DUTCH), [n for n in DUTCH if n not in page]
    assert not [name for name in ENGLISH if name in page]
