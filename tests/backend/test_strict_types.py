"""Strict inputs hold to the JSON types the schema gives them (backend.serializers, ADR 0017).
DRF read `0` as the string "0", "3" and 3.0 as the integer 3, "yes" as true and an integer as a
UUID, so requests the schema calls invalid were accepted; the fuzzer found these."""

import pytest

from signals.models import Status
from tests.factories import UserFactory, member_of
from tests.fixtures import token_client
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db


def field_codes(response) -> dict:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_error"
    return {
        name: [e["code"] for e in errors]
        for name, errors in response.json()["details"]["fields"].items()
    }


def test_a_number_for_a_string_is_refused_in_a_body():
    client = token_client(UserFactory(field_worker=True))
    response = client.post(
        "/api/v1/devices", {"platform": "ios", "registration_token": 0}, format="json"
    )
    assert field_codes(response) == {"registration_token": ["invalid"]}


def test_a_number_for_the_optional_enrolment_code_is_refused():
    client = token_client(UserFactory(field_worker=True))
    response = client.post("/api/v1/auth/mfa/totp", {"code": 0}, format="json")
    assert field_codes(response) == {"code": ["invalid"]}


def test_text_for_an_integer_an_integer_for_a_uuid_and_a_number_for_a_choice_are_refused():
    team = team_with_coverage()
    member = member_of(team)
    signal = make_signal(state=Status.ROUTED)
    client = token_client(member)
    response = client.post(
        f"/api/v1/signals/{signal.pk}/assign", {"assignee": 5, "version": "1"}, format="json"
    )
    assert field_codes(response) == {"assignee": ["invalid"], "version": ["invalid"]}
    response = client.post(
        f"/api/v1/signals/{signal.pk}/transitions", {"to": 1, "version": 1.0}, format="json"
    )
    assert field_codes(response) == {"to": ["invalid_choice"], "version": ["invalid"]}


def test_a_string_item_in_a_list_must_be_a_string():
    from tests.signals.factories import intake_payload

    client = token_client(UserFactory(field_worker=True))
    response = client.post("/api/v1/signals", intake_payload(reasons=[7]), format="json")
    assert field_codes(response) == {"reasons": ["invalid"]}


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/queue", {"page_size": "5.0"}),
        ("/api/v1/audit/break-glass", {"page_size": "1e3"}),
        ("/api/v1/audit/access-log", {"page_size": " 5"}),
        ("/api/v1/audit/access-log", {"break_glass": "1"}),
        ("/api/v1/privacy/consent-register", {"page_size": "2.0"}),
    ],
)
def test_query_integers_are_digits_and_booleans_true_or_false(path, query):
    member = member_of(team_with_coverage())
    officer = UserFactory(privacy_officer=True)
    client = token_client(member if path == "/api/v1/queue" else officer)
    assert set(field_codes(client.get(path, query))) == set(query)


def test_the_access_log_refuses_an_unknown_query_parameter_and_keeps_its_own():
    client = token_client(UserFactory(privacy_officer=True))
    assert field_codes(client.get("/api/v1/audit/access-log", {"subjct": "x"})) == {
        "subjct": ["unknown_field"]
    }
    kept = client.get("/api/v1/audit/access-log", {"break_glass": "true", "page_size": "5"})
    assert kept.status_code == 200
    export = client.get("/api/v1/audit/access-log/export", {"format": "csv"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/queue", "wijk=WK034406&wijk=WK034403"),
        ("/api/v1/queue", "page_size=5&page_size=10"),
        ("/api/v1/audit/break-glass", "cursor=a&cursor=b"),
        ("/api/v1/privacy/requests", "status=open&status=completed"),
        ("/api/v1/audit/access-log", "action=read&action=create"),
    ],
)
def test_a_single_valued_query_parameter_given_twice_is_refused(path, query):
    member = member_of(team_with_coverage())
    officer = UserFactory(privacy_officer=True)
    client = token_client(member if path == "/api/v1/queue" else officer)
    name = query.split("=")[0]
    assert field_codes(client.get(f"{path}?{query}")) == {name: ["repeated"]}


def test_a_filter_that_takes_several_values_may_be_repeated():
    client = token_client(member_of(team_with_coverage()))
    assert client.get("/api/v1/queue?status=routed&status=acknowledged").status_code == 200


def test_a_string_longer_than_its_maximum_is_refused_even_when_whitespace_pads_it():
    """DRF trimmed whitespace before checking max_length, so 33 characters passed a field the
    schema limits to 32 (found by `make fuzz`)."""
    client = token_client(UserFactory(field_worker=True))
    response = client.post("/api/v1/auth/mfa/totp", {"code": " " + "1" * 32}, format="json")
    assert field_codes(response) == {"code": ["max_length"]}
    response = client.post(
        "/api/v1/devices",
        {"platform": "ios", "registration_token": "t", "app_version": "\x1f" + "1" * 32},
        format="json",
    )
    assert field_codes(response) == {"app_version": ["max_length"]}
    from tests.signals.factories import intake_payload

    response = client.post(
        "/api/v1/signals", intake_payload(reasons=["few_contacts" + " " * 40]), format="json"
    )
    assert field_codes(response) == {"reasons": ["max_length"]}
