"""SQL statements per request on the measured paths (docs/performance.md, docs/adr/0029): an
exact budget each, the same for one row as for fifty, so a query added per row (N+1) or per
request fails here before it shows in `make bench`.

Counted inside the test's transaction, so a view's own transaction is a SAVEPOINT/RELEASE pair
here where production sends BEGIN/COMMIT; the budgets name every statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.actors import SYSTEM
from accounts.models import TeamRole
from accounts.services import login_session_open
from signals import services
from signals.models import Status
from signals.services import signal_route
from tests.factories import UserFactory, member_of
from tests.fixtures import token_client
from tests.signals.factories import intake_payload, make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

# The login session with its user and organisation (accounts.authentication).
AUTHENTICATION = 1
# Roles and permissions together (accounts.backends), for the capability check, the second-factor
# rule of a password-only token and the access log row's roles.
ROLES_AND_PERMISSIONS = 1
# The view's transaction (a savepoint pair in a test) and the access-log insert.
LOGGED = 2 + 1


@pytest.fixture(autouse=True)
def _permission_names_read():
    """A worker reads the permission names once, at its first request (accounts.backends); the
    budgets are those of every request after that."""
    from django.contrib.auth.models import Permission

    from accounts.backends import _permission_names

    _permission_names(set(Permission.objects.values_list("pk", flat=True)))


@pytest.fixture
def team():
    return team_with_coverage("Buurtteam Binnenstad", postcode="3511AB")


@pytest.fixture
def member(team):
    return member_of(team)


def password_only_client(user) -> APIClient:
    """A field worker's app login: a password factor only, as in the bench."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login_session_open(user=user).access}")
    return client


def test_me_reads_the_session_roles_and_teams(member, django_assert_num_queries):
    client = token_client(member)
    with django_assert_num_queries(AUTHENTICATION + ROLES_AND_PERMISSIONS + 1):  # + memberships
        response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["roles"] == ["team_member"]
    assert [t["name"] for t in response.json()["teams"]] == ["Buurtteam Binnenstad"]


def test_intake_costs_its_inserts_and_two_lookups(django_assert_num_queries):
    client = password_only_client(UserFactory(field_worker=True))
    # consent text, reason codes; savepoint, signal, reason link, consent, event, release
    intake = 2 + 6
    body = intake_payload()
    with django_assert_num_queries(AUTHENTICATION + ROLES_AND_PERMISSIONS + intake + LOGGED):
        response = client.post("/api/v1/signals", body, format="json")
    assert response.status_code == 201, response.content


def test_a_retried_intake_answers_the_first_signal(django_assert_num_queries):
    client = password_only_client(UserFactory(field_worker=True))
    body = intake_payload()
    assert client.post("/api/v1/signals", body, format="json").status_code == 201
    # consent text, reason codes; savepoint, refused insert, rollback to and release of it; the
    # first signal and its consent (for the log row)
    retry = 2 + 4 + 2
    # The first request cached the login session (accounts.session_cache, ADR 47): no lookup.
    with django_assert_num_queries(ROLES_AND_PERMISSIONS + retry + LOGGED):
        response = client.post("/api/v1/signals", body, format="json")
    assert response.status_code == 200


def test_detail_reads_the_signal_and_its_history_in_four(team, member, django_assert_num_queries):
    signal = make_signal(state=Status.ACKNOWLEDGED, worker=member)
    authors = [member, member_of(team, TeamRole.COORDINATOR), member_of(team)]
    for n, author in enumerate(authors):
        services.signal_note_add(signal_id=signal.pk, actor=author, body=f"Notitie {n}")
    client = token_client(member)
    # the signal with team, buurt, assignee and consent; reasons; events; notes
    with django_assert_num_queries(AUTHENTICATION + ROLES_AND_PERMISSIONS + 4 + LOGGED):
        response = client.get(f"/api/v1/signals/{signal.pk}")
    assert response.status_code == 200
    assert len(response.json()["notes"]) == 3


@pytest.mark.parametrize("rows", [1, 50])
def test_a_queue_page_costs_the_same_for_one_row_as_for_fifty(
    team, member, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_signal(state=Status.ROUTED)
    client = token_client(member)
    # the member's team and share ids (signals.visibility, ids_first); the page of signals with
    # team, buurt and assignee; their reasons. The list's row also names its residents in
    # audit.AccessLogSubject (one insert, ADR 47).
    with django_assert_num_queries(AUTHENTICATION + ROLES_AND_PERMISSIONS + 3 + LOGGED + 1):
        response = client.get("/api/v1/queue", {"page_size": 50})
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


def test_routing_by_coverage_reads_the_address_once_and_no_central_team_or_reasons(team):
    signal = make_signal()  # received, at an address the team covers
    with CaptureQueriesContext(connection) as ctx:
        routed = signal_route(signal_id=signal.pk, actor=SYSTEM)
    assert (routed.status, routed.team) == (Status.ROUTED, team)
    statements = [q["sql"] for q in ctx.captured_queries]
    assert not [q for q in statements if '"is_central"' in q.split("WHERE")[-1]]
    assert not [q for q in statements if "signals_signal_reasons" in q]
    assert len([q for q in statements if "accounts_mappingversion" in q]) == 1  # joined
