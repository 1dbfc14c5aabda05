"""Languages are not mixed: under `Accept-Language: nl` a refused request speaks Dutch in every
message, ours and Django REST framework's; under `en` English (issue 13)."""

import pytest

from tests.factories import TeamFactory, UserFactory, member_of
from tests.fixtures import token_client
from tests.signals.factories import intake_payload

pytestmark = pytest.mark.django_db


def bad_intake() -> dict:
    body = intake_payload(urgency="whenever")
    del body["client_uuid"]
    body["resident"]["phone"] = "call me"
    body["address"]["postcode"] = "nowhere"
    body["consent"]["given_at"] = "2020-01-01T00:00:00Z"
    return body


def field_messages(fields: dict) -> dict[str, str]:
    """{"resident.phone": message} for every field error in a validation_error's details."""
    found = {}
    for name, value in fields.items():
        if isinstance(value, dict):
            found.update({f"{name}.{k}": v for k, v in field_messages(value).items()})
        else:
            found[name] = value[0]["message"]
    return found


def refused_intake(language: str, body: dict | None = None) -> dict[str, str]:
    client = token_client(UserFactory(field_worker=True))
    response = client.post(
        "/api/v1/signals", body or bad_intake(), format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400, response.content
    return field_messages(response.json()["details"]["fields"])


def refused_queue(language: str, query: str) -> dict[str, str]:
    client = token_client(member_of(TeamFactory()))
    response = client.get(f"/api/v1/queue?{query}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400, response.content
    return field_messages(response.json()["details"]["fields"])


def test_a_refused_intake_speaks_dutch_under_nl():
    assert refused_intake("nl") == {
        "client_uuid": "Dit veld is vereist.",
        "resident.phone": "Geen telefoonnummer.",
        "address.postcode": "Geen Nederlandse postcode zoals 3511 AB.",
        "urgency": '"whenever" is een ongeldige keuze.',
    }


def test_a_refused_intake_speaks_english_under_en():
    assert refused_intake("en") == {
        "client_uuid": "This field is required.",
        "resident.phone": "Not a phone number.",
        "address.postcode": "Not a Dutch postcode like 3511 AB.",
        "urgency": '"whenever" is not a valid choice.',
    }


@pytest.mark.parametrize(
    ("query", "field", "nl", "en"),
    [
        ("wijk=a&wijk=b", "wijk", "Geef deze parameter één keer.", "Give this parameter once."),
        ("overdue=maybe", "overdue", "Gebruik true of false.", "Use true or false."),
        (
            "ordering=oldest",
            "ordering",
            "Kies een van: deadline, newest.",
            "Choose one of: deadline, newest.",
        ),
    ],
)
def test_refused_queue_filters_speak_the_language_asked_for(query, field, nl, en):
    assert refused_queue("nl", query)[field] == nl
    assert refused_queue("en", query)[field] == en


def test_an_unknown_field_is_named_in_the_language_asked_for():
    body = {**intake_payload(), "unexpected": 1}
    assert refused_intake("nl", body) == {"unexpected": "Onbekend veld."}
    assert refused_intake("en", body) == {"unexpected": "Unknown field."}
