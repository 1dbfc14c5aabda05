"""What leaves about a resident's connection to an initiative, and when it must not: the
initiative's name for the signaller only while the consent covers it and the resident's data
is neither erased nor restricted; the append-only events hold ids, never the name; a consent
covers an entry by its id, never by a name (docs/adr/0026, 0032)."""

import pytest

from initiatives import services
from initiatives.models import Referral
from initiatives.recipients import recipient_for
from signals import services as signal_services
from signals.models import SignalEvent
from tests.factories import UserFactory
from tests.initiatives.factories import make_initiative, sharing_consent, worked_signal
from tests.initiatives.test_referrals import _connect

pytestmark = pytest.mark.django_db


@pytest.fixture
def connected(client_for):
    """A signal closed as connected to an initiative its consent names, and its signaller."""
    initiative = make_initiative(name="Stichting Troost", slug="stichting-troost")
    signaller = UserFactory(field_worker=True)
    signal, member, _ = worked_signal(signaller=signaller, consent=sharing_consent(initiative))
    _connect(client_for(member), signal, initiative)
    return signal, client_for(signaller)


def my_row(client) -> dict:
    [row] = client.get("/api/v1/my/signals").json()
    return row


def test_the_closing_event_records_ids_and_never_the_initiative_name(connected) -> None:
    signal, signaller = connected
    assert my_row(signaller)["connected_to"] == "Stichting Troost"  # consent covers it
    event = SignalEvent.objects.filter(signal=signal, type="transitioned").last()
    referral = Referral.objects.get(signal=signal)
    assert event.data == {
        "outcome": "connected_to_initiative",
        "referral_id": str(referral.pk),
        "initiative_id": str(referral.initiative_id),
    }
    assert "Troost" not in str(SignalEvent.objects.filter(signal=signal).values("data"))


def test_my_signals_names_no_initiative_once_the_resident_was_erased(connected) -> None:
    signal, signaller = connected
    officer = UserFactory(privacy_officer=True)
    signal_services.signal_personal_data_erase(signal_id=signal.pk, actor=officer, reason="art17")
    row = my_row(signaller)
    assert row["connected"] is True and row["connected_to"] is None
    assert "Troost" not in str(row)


def test_my_signals_names_no_initiative_while_processing_is_restricted(connected) -> None:
    signal, signaller = connected
    signal_services.signal_restrict(signal_id=signal.pk, actor=UserFactory(privacy_officer=True))
    assert my_row(signaller)["connected_to"] is None


def test_a_consent_naming_one_entry_never_covers_another_of_a_like_name() -> None:
    """Found: a consent naming `Straße` let contact details go to another entry named
    `Strasse` (casefold and lower disagree). The consent names the entry's id now."""
    strasse_sz = make_initiative(name="Straße", slug="strasse-sz")
    strasse_ss = make_initiative(name="Strasse", slug="strasse-ss")
    signal, _, _ = worked_signal(consent=sharing_consent(strasse_sz))
    assert services.gate_for(signal, strasse_sz).allowed
    gate = services.gate_for(signal, strasse_ss)
    assert not gate.allowed
    assert gate.missing_recipient == recipient_for(strasse_ss.pk)


def test_a_consent_naming_one_entry_never_covers_one_named_like_its_slug() -> None:
    """Found: a consent naming the slug `domstad-plusbus` also covered another entry whose
    name is `domstad-plusbus`."""
    plusbus = make_initiative(name="Domstad Plusbus", slug="domstad-plusbus")
    lookalike = make_initiative(name="domstad-plusbus", slug="iets-anders")
    signal, _, _ = worked_signal(consent=sharing_consent(plusbus))
    assert services.gate_for(signal, plusbus).allowed
    assert not services.gate_for(signal, lookalike).allowed
