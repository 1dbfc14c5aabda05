"""A consent text declares the purposes it covers; intake refuses a purpose its text does not
declare, names it, and writes nothing (issue 18, finding 2; docs/adr/0032)."""

from pathlib import Path

import pytest
from django.conf import settings

from signals.models import Consent, ConsentPurpose, ConsentText, Signal, SignalEvent
from tests.factories import UserFactory
from tests.fixtures import token_client
from tests.signals.factories import intake_payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/signals"
ALL = {purpose.value for purpose in ConsentPurpose}


@pytest.fixture
def client():
    return token_client(UserFactory(field_worker=True))


def under(version: str, language: str = "nl", **purposes: bool) -> dict:
    text = ConsentText.objects.get(version=version, language=language)
    body = intake_payload()
    body["consent"].update(consent_text_id=text.pk, consent_text_sha256=text.sha256)
    body["consent"]["purposes"].update(purposes)
    if purposes.get("share_with_initiative"):
        body["consent"]["initiatives"] = ["any"]
    return body


def nothing_written() -> bool:
    return not (Signal.objects.exists() or Consent.objects.exists() or SignalEvent.objects.exists())


@pytest.mark.parametrize(
    ("version", "purposes", "refused"),
    [
        # Found: both texts say the details are for the team only, yet sharing was accepted.
        ("2026-1", {"share_with_initiative": True}, ["share_with_initiative"]),
        ("2026-2", {"share_with_initiative": True}, ["share_with_initiative"]),
        # Found: 2026-1 never mentions the six questions, yet measuring was accepted.
        ("2026-1", {"measure_outcome": True}, ["measure_outcome"]),
        (
            "2026-1",
            {"share_with_initiative": True, "measure_outcome": True},
            ["measure_outcome", "share_with_initiative"],
        ),
    ],
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_intake_refuses_a_purpose_its_text_does_not_declare(
    client, version, purposes, refused, language
):
    response = client.post(URL, under(version, language, **purposes), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "purpose_not_in_consent_text"
    assert body["details"] == {"purposes": refused, "consent_text_version": version}
    for purpose in refused:
        assert purpose in body["message"]
    assert nothing_written()


def test_the_refusal_reads_in_dutch_and_in_english(client):
    body = under("2026-1", measure_outcome=True)
    dutch = client.post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="nl").json()["message"]
    english = client.post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert dutch.startswith("Toestemmingstekst 2026-1 zegt niets over dit doel: measure_outcome")
    assert english.startswith("Consent text 2026-1 says nothing about this purpose")
    assert nothing_written()


@pytest.mark.parametrize(
    ("version", "purposes"),
    [
        ("2026-1", {}),
        ("2026-2", {"measure_outcome": True}),
        ("2026-3", {"measure_outcome": True, "share_with_initiative": True}),
    ],
)
def test_a_purpose_its_text_declares_is_recorded(client, version, purposes):
    response = client.post(URL, under(version, **purposes), format="json")
    assert response.status_code == 201, response.content
    consent = Consent.objects.get(signal_id=response.json()["id"])
    assert {code for code, given in consent.purposes.items() if given} == {
        "team_contact",
        *purposes,
    }


def test_the_texts_declare_what_they_say():
    declared = {
        (text.version, text.language): set(text.purposes) for text in ConsentText.objects.all()
    }
    assert declared[("2026-1", "nl")] == declared[("2026-1", "en")] == {"team_contact"}
    assert (
        declared[("2026-2", "nl")]
        == declared[("2026-2", "en")]
        == {
            "team_contact",
            "measure_outcome",
        }
    )
    assert declared[("2026-3", "nl")] == declared[("2026-3", "en")] == ALL


def test_the_consent_texts_api_lists_the_purposes_each_text_declares(client):
    texts = client.get("/api/v1/consent-texts").json()
    by_version = {(t["version"], t["language"]): t["purposes"] for t in texts}
    assert set(by_version[("2026-3", "en")]) == ALL
    assert by_version[("2026-1", "nl")] == ["team_contact"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_new_texts_say_what_happens_for_each_purpose(language):
    body = ConsentText.objects.get(version="2026-3", language=language).body
    says = {
        "nl": ["buurtteam", "initiatie", "voornaam, telefoonnummer en e-mailadres", "zes korte"],
        "en": ["neighbourhood team", "initiative", "first name, phone number and e-mail", "six"],
    }[language]
    for words in says:
        assert words in body
    assert ("6 lid 1 onder a" if language == "nl" else "6(1)(a)") in body
    assert ("9 lid 2 onder a" if language == "nl" else "9(2)(a)") in body


def test_the_readme_shows_the_new_texts_word_for_word():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    for text in ConsentText.objects.filter(version="2026-3"):
        for paragraph in text.body.split("\n\n"):
            assert paragraph in readme, paragraph[:60]
