"""The login session's validity cached in Redis (accounts.session_cache, docs/adr/0047): a
cached session costs no database query, every way a session ends refuses the token at the very
next request, an entry filled from a database read made before a change never counts after it,
and with Redis gone the database answers as before."""

import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIRequestFactory

from accounts import services
from accounts.authentication import SessionBoundJWTAuthentication
from accounts.models import LoginSession
from accounts.services import login_sessions_end, logout
from accounts.services.credentials import password_change
from accounts.session_cache import cached_session, session_cache_fill
from audit.context import AccessContext
from tests.factories import UserFactory
from tests.fixtures import token_client

pytestmark = pytest.mark.django_db

ME = reverse("me")


def authenticate(pair):
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    return SessionBoundJWTAuthentication().authenticate(request)


def queries_to_authenticate(pair) -> int:
    with CaptureQueriesContext(connection) as queries:
        user, _ = authenticate(pair)
    assert str(user.login_session_id) == pair.session_id
    return len(queries)


def assert_refused(client) -> None:
    response = client.get(ME)
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "session_revoked"


@pytest.fixture
def member():
    return UserFactory(privacy_officer=True)


def test_a_cached_session_costs_no_database_query(member):
    pair = services.login_session_open(user=member, amr=["pwd", "otp"])
    assert queries_to_authenticate(pair) == 1  # session and user together, then cached
    assert queries_to_authenticate(pair) == 0
    user, _ = authenticate(pair)
    assert user.pk == member.pk and user.organisation_id == member.organisation_id


def test_the_password_hash_stays_out_of_redis(member):
    pair = services.login_session_open(user=member, amr=["pwd", "otp"])
    authenticate(pair)
    entry, _ = cached_session(session_id=pair.session_id, user_id=member.pk)
    assert entry is not None and "password" not in entry.user.__dict__
    user, _ = authenticate(pair)
    with CaptureQueriesContext(connection) as queries:
        assert user.password == member.password  # deferred: read from the database if asked
    assert len(queries) == 1


def test_logout_refuses_the_token_at_once(member):
    client = token_client(member)
    assert client.get(ME).status_code == 200
    assert client.get(ME).status_code == 200  # now cached
    logout(user=member, session_id=client.token_pair.session_id)
    assert_refused(client)


def test_a_password_change_refuses_the_token_at_once(member):
    client = token_client(member)
    assert client.get(ME).status_code == 200
    password_change(user=member, password="a-new-long-passphrase-42", context=AccessContext())
    assert_refused(client)


@pytest.mark.parametrize("reason", ["mfa_changed", "user_deactivated", "credentials_reset"])
def test_ending_every_session_refuses_the_token_at_once(member, reason):
    client = token_client(member)
    assert client.get(ME).status_code == 200
    login_sessions_end(user=member, reason=reason)
    assert_refused(client)


def test_a_session_revoked_by_a_plain_save_is_refused_at_once(member):
    client = token_client(member)
    assert client.get(ME).status_code == 200
    member.set_password("changed-on-some-other-path-1")
    member.save()
    assert_refused(client)


def test_an_entry_filled_from_a_read_before_the_revocation_does_not_count(member):
    """The interleaving the generation exists for: a request reads the generation and the
    still-live session, the session is revoked, and only then does that request fill the
    cache. The next request must not take the entry."""
    pair = services.login_session_open(user=member, amr=["pwd", "otp"])
    session = LoginSession.objects.select_related("user__organisation").get(pk=pair.session_id)
    _, generation = cached_session(session_id=pair.session_id, user_id=member.pk)
    assert generation is not None
    logout(user=member, session_id=pair.session_id)  # between the read and the fill
    session_cache_fill(
        session_id=session.pk, generation=generation, user=session.user,
        created_at=session.created_at,
    )  # fmt: skip
    assert cached_session(session_id=pair.session_id, user_id=member.pk)[0] is None
    client = token_client(member)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    assert_refused(client)


@pytest.fixture
def redis_gone(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"},
    }


def test_without_redis_the_database_answers_and_revocation_holds(member, redis_gone):
    client = token_client(member)
    pair = client.token_pair
    assert queries_to_authenticate(pair) == 1
    assert queries_to_authenticate(pair) == 1  # nothing cached: the database each time
    assert client.get(ME).status_code == 200
    logout(user=member, session_id=pair.session_id)
    assert_refused(client)
