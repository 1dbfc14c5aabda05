"""No API answer may be kept by a cache (browser, the app's HTTP cache, a proxy), and no
personal value may travel in a URL: routes carry ids only. Generated from the URL
configuration (tests.security.matrix.api_endpoints), so a new endpoint is covered without a
test."""

import re

import pytest

from signals.models import Status
from tests.factories import member_of
from tests.fixtures import token_client
from tests.security.matrix import api_endpoints, api_patterns, concrete
from tests.signals.factories import make_signal, team_with_coverage

ENDPOINTS = api_endpoints()

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(?P<type>\w+):)?(?P<name>\w+)>")


def assert_not_stored(response) -> None:
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")
    assert "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


@pytest.mark.parametrize(
    ("route", "method"),
    [(route, method) for route, method, _ in ENDPOINTS],
    ids=[f"{m.upper()} {r}" for r, m, _ in ENDPOINTS],
)
def test_every_api_answer_is_marked_no_store_even_a_refusal(api_client, route, method):
    assert_not_stored(getattr(api_client, method)(concrete(route), {}, format="json"))


def test_an_answer_with_personal_data_is_marked_no_store():
    member = member_of(team_with_coverage())
    signal = make_signal(state=Status.ROUTED)
    response = token_client(member).get(f"/api/v1/signals/{signal.pk}")
    assert response.status_code == 200
    assert response.json()["resident"]["first_name"]
    assert_not_stored(response)


def test_pages_outside_the_api_are_left_alone(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Pragma" not in response


def test_api_routes_carry_ids_only():
    """Path parameters are UUIDs: a name, postcode or phone number has no place to go."""
    for route, _ in api_patterns():
        for match in CONVERTER.finditer(route):
            assert match["type"] == "uuid", (route, match.group(0))
