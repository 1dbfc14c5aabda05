"""Recipients by catalogue identity (issue 18, finding 3; docs/adr/0032): intake takes catalogue
ids or "any", never a name; free-text recipients recorded before become an identity only where
exactly one entry matches exactly, and otherwise cover no one, listed for the privacy officer."""

import importlib
import uuid

import pytest
from django.apps import apps

from initiatives import services
from initiatives.recipients import Entry, recipient_for, resolve_recorded
from signals.models import Consent, Signal
from tests.factories import UserFactory
from tests.fixtures import token_client
from tests.initiatives.factories import make_initiative, sharing_consent, worked_signal
from tests.signals.factories import intake_payload

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("initiatives.migrations.0005_consent_recipients_by_identity")
A, B = uuid.uuid4(), uuid.uuid4()


def resolved(recorded: list[str], *entries: Entry) -> tuple[list[str], list[str]]:
    result = resolve_recorded(recorded, entries)
    return result.recipients, result.unresolved


def test_a_name_matching_another_entry_only_after_case_folding_matches_nothing():
    """Found: `Straße` covered an entry named `Strasse` (casefold and lower disagree)."""
    strasse = Entry(id=A, slug="strasse", name="Strasse")
    assert resolved(["initiative:Straße"], strasse) == ([], ["Straße"])
    strasse_sz = Entry(id=B, slug="strasse-sz", name="Straße")
    assert resolved(["initiative:Straße"], strasse, strasse_sz) == ([f"initiative:{B}"], [])


def test_a_slug_that_is_another_entry_s_name_matches_two_and_so_neither():
    """Found: the slug `domstad-plusbus` also covered an entry named `domstad-plusbus`."""
    plusbus = Entry(id=A, slug="domstad-plusbus", name="Domstad Plusbus")
    lookalike = Entry(id=B, slug="iets-anders", name="domstad-plusbus")
    assert resolved(["initiative:domstad-plusbus"], plusbus) == ([f"initiative:{A}"], [])
    assert resolved(["initiative:domstad-plusbus"], plusbus, lookalike) == (
        [],
        ["domstad-plusbus"],
    )


@pytest.mark.parametrize("recorded", ["Domstad plusbus", " Domstad Plusbus", "DOMSTAD-PLUSBUS"])
def test_no_trimming_and_no_case_games(recorded):
    plusbus = Entry(id=A, slug="domstad-plusbus", name="Domstad Plusbus")
    assert resolved([f"initiative:{recorded}"], plusbus) == ([], [recorded])


def test_the_team_and_any_stay_as_they_are_and_one_entry_named_twice_is_kept_once():
    plusbus = Entry(id=A, slug="domstad-plusbus", name="Domstad Plusbus")
    recorded = [
        "neighbourhood_team",
        "initiative:any",
        "initiative:Domstad Plusbus",
        "initiative:domstad-plusbus",
    ]
    assert resolved(recorded, plusbus) == (
        ["neighbourhood_team", "initiative:any", f"initiative:{A}"],
        [],
    )


def _recorded_by_name(signal: Signal, *names: str) -> Consent:
    """The consent as intake recorded it before recipients were ids."""
    Consent.objects.filter(signal=signal).update(
        recipients=["neighbourhood_team", *(f"initiative:{name}" for name in names)]
    )
    MIGRATION.to_identities(apps, None)
    return Consent.objects.get(signal=signal)


def test_the_migration_gives_the_found_cases_to_no_one_and_keeps_the_names():
    strasse = make_initiative(name="Strasse", slug="strasse")
    plusbus = make_initiative(name="Domstad Plusbus", slug="domstad-plusbus")
    lookalike = make_initiative(name="domstad-plusbus", slug="iets-anders")
    join_us = make_initiative(name="Join Us", slug="join-us")
    signal, _, _ = worked_signal(consent=sharing_consent("any"))
    consent = _recorded_by_name(signal, "Straße", "domstad-plusbus", "Join Us")
    assert consent.recipients == ["neighbourhood_team", recipient_for(join_us.pk)]
    assert consent.unresolved_recipients == ["Straße", "domstad-plusbus"]
    for initiative in (strasse, plusbus, lookalike):
        assert not services.gate_for(signal, initiative).allowed
    assert services.gate_for(signal, join_us).allowed


def test_the_migration_back_restores_names():
    join_us = make_initiative(name="Join Us", slug="join-us")
    signal, _, _ = worked_signal(consent=sharing_consent("any"))
    _recorded_by_name(signal, "Join Us", "Nergens")
    MIGRATION.to_names(apps, None)
    consent = Consent.objects.get(signal=signal)
    assert consent.recipients == [
        "neighbourhood_team",
        f"initiative:{join_us.slug}",
        "initiative:Nergens",
    ]
    assert consent.unresolved_recipients == []


# --- intake -----------------------------------------------------------------------------------


def _sharing_with(*initiatives: str) -> dict:
    body = intake_payload()
    body["consent"]["purposes"]["share_with_initiative"] = True
    body["consent"]["initiatives"] = list(initiatives)
    return body


def _nothing_written() -> bool:
    return not Signal.objects.exists() and not Consent.objects.exists()


@pytest.mark.parametrize("name", ["Domstad Plusbus", "domstad-plusbus", "initiative:any", ""])
def test_intake_refuses_a_name_where_an_id_belongs(name):
    make_initiative(name="Domstad Plusbus", slug="domstad-plusbus")
    response = token_client(UserFactory(field_worker=True)).post(
        "/api/v1/signals", _sharing_with(name), format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_error"
    assert "initiatives" in response.json()["details"]["fields"]["consent"]
    assert _nothing_written()


def test_intake_refuses_an_id_the_catalogue_does_not_hold_as_active():
    retired = make_initiative(is_active=False)
    unknown = uuid.uuid4()
    client = token_client(UserFactory(field_worker=True))
    for missing in (unknown, retired.pk):
        response = client.post("/api/v1/signals", _sharing_with(str(missing)), format="json")
        assert response.status_code == 400, response.content
        body = response.json()
        assert (body["code"], body["details"]) == (
            "unknown_initiative",
            {"unknown": [str(missing)]},
        )
        assert _nothing_written()


def test_intake_records_the_ids_the_app_picked_from_the_catalogue():
    plusbus = make_initiative(name="Domstad Plusbus")
    response = token_client(UserFactory(field_worker=True)).post(
        "/api/v1/signals", _sharing_with(str(plusbus.pk), "any"), format="json"
    )
    assert response.status_code == 201, response.content
    consent = Consent.objects.get(signal_id=response.json()["id"])
    assert consent.recipients == ["neighbourhood_team", recipient_for(plusbus.pk), "initiative:any"]
