"""What leaves about a resident's connection to an initiative, and when it must not: the
initiative's name for the signaller only while the consent covers it and the resident's data
is neither erased nor restricted; the append-only events hold ids, never the name; a name two
initiatives share covers neither (docs/adr/0026)."""

import pytest

from initiatives import consent_gate, services
from initiatives.models import Referral
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
    signal, member, _ = worked_signal(
        signaller=signaller, consent=sharing_consent("Stichting Troost")
    )
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


def test_a_name_two_initiatives_share_lets_contact_details_go_to_neither(client_for) -> None:
    zuilen = make_initiative(name="Buurthuis", slug="buurthuis-zuilen")
    overvecht = make_initiative(name="buurthuis ", slug="buurthuis-overvecht")
    signal, _, _ = worked_signal(consent=sharing_consent("Buurthuis"))
    for initiative in (zuilen, overvecht):
        gate = services.gate_for(signal, initiative)
        assert not gate.allowed
        assert gate.missing_recipient == consent_gate.recipient_for(initiative.slug)


def test_a_slug_still_names_one_initiative_when_its_name_is_shared(client_for) -> None:
    zuilen = make_initiative(name="Buurthuis", slug="buurthuis-zuilen")
    overvecht = make_initiative(name="Buurthuis", slug="buurthuis-overvecht")
    signal, _, _ = worked_signal(consent=sharing_consent("buurthuis-zuilen"))
    assert services.gate_for(signal, zuilen).allowed
    assert not services.gate_for(signal, overvecht).allowed
