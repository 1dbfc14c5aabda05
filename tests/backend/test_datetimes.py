"""One DateTimeField (backend.serializers, docs/adr/0017): a moment in year 1 or year 9999,
naive or aware, in a query parameter or a body, is a 400 with a field error. Before, a naive
year-1 moment raised OverflowError while being made aware: a 500."""

import pytest

from tests.factories import UserFactory
from tests.fixtures import token_client
from tests.signals.factories import intake_payload

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-05:00",
    "1969-12-31T23:59:59Z",
]


def field_error(response, *path: str) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    errors = body["details"]["fields"]
    for name in path:
        errors = errors[name]
    return errors[0]


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
@pytest.mark.parametrize("name", ["from", "to"])
def test_an_out_of_range_moment_in_a_query_parameter_is_a_field_error(name, moment):
    client = token_client(UserFactory(privacy_officer=True))
    response = client.get("/api/v1/audit/access-log", {name: moment})
    assert field_error(response, name)["code"] == "overflow"


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_an_out_of_range_moment_in_a_body_is_a_field_error(moment):
    client = token_client(UserFactory(privacy_officer=True))
    response = client.post(
        "/api/v1/privacy/requests",
        {
            "kind": "access",
            "subject_id": "6f1c7a52-1d7e-4c35-9d0e-3f9e0e6b7c11",
            "received_at": moment,
        },
        format="json",
    )
    assert field_error(response, "received_at")["code"] == "overflow"


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_an_out_of_range_consent_moment_in_a_nested_body_is_a_field_error(moment):
    from signals.models import Signal

    client = token_client(UserFactory(field_worker=True))
    payload = intake_payload()
    payload["consent"]["given_at"] = moment
    response = client.post("/api/v1/signals", payload, format="json")
    # given_at must carry its offset (docs/adr/0035): a naive one is refused before its range
    naive = moment[-1] != "Z" and moment[-6] not in "+-"
    expected = "invalid" if naive else "overflow"
    assert field_error(response, "consent", "given_at")["code"] == expected
    assert not Signal.objects.exists()


def test_a_moment_in_range_still_filters():
    client = token_client(UserFactory(privacy_officer=True))
    response = client.get(
        "/api/v1/audit/access-log", {"from": "2020-01-01T00:00:00", "to": "2199-12-31T23:59:59Z"}
    )
    assert response.status_code == 200
