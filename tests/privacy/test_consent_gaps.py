"""The privacy officer's list of consents that give less than the resident ticked: a purpose
its text does not declare (counts as not given: no handover, no measurement), or recipients
that matched no catalogue entry (issue 18, findings 2 and 3; docs/adr/0032)."""

import pytest
from django.urls import reverse

from audit.models import AccessLog
from initiatives import services as initiative_services
from signals import services
from signals.models import Consent, ConsentPurpose, ConsentText, Status
from tests.factories import UserFactory
from tests.initiatives.factories import make_initiative, sharing_consent, worked_signal
from tests.signals.factories import make_signal

pytestmark = pytest.mark.django_db

GAPS = reverse("privacy-consent-gaps")
EVERYTHING = {"purposes": frozenset(ConsentPurpose), "initiatives": ("any",)}


def recorded_under(signal, version: str) -> None:
    """As if intake had recorded the consent under an older text (it no longer can)."""
    text = ConsentText.objects.get(version=version, language="nl")
    Consent.objects.filter(signal=signal).update(consent_text=text, consent_text_sha256=text.sha256)


def test_the_list_names_the_purposes_an_old_text_leaves_out_and_the_unmatched_names(client_for):
    under_2026_1 = make_signal(state=Status.ROUTED, consent=EVERYTHING)
    recorded_under(under_2026_1, "2026-1")
    under_2026_2 = make_signal(state=Status.ROUTED, consent=EVERYTHING)
    recorded_under(under_2026_2, "2026-2")
    unmatched = make_signal(state=Status.ROUTED)
    Consent.objects.filter(signal=unmatched).update(unresolved_recipients=["Straße"])
    make_signal(state=Status.ROUTED, consent=EVERYTHING)  # 2026-3 declares it all: no gap
    plain = make_signal(state=Status.ROUTED)  # team contact only, under 2026-3
    withdrawn = make_signal(state=Status.ROUTED, consent=EVERYTHING)
    recorded_under(withdrawn, "2026-1")
    services.consent_withdraw(signal_id=withdrawn.pk, actor=withdrawn.created_by)
    officer = UserFactory(privacy_officer=True)
    response = client_for(officer).get(GAPS)
    assert response.status_code == 200, response.content
    rows = {row["subject_id"]: row for row in response.json()["results"]}
    assert set(rows) == {str(s.subject_id) for s in (under_2026_1, under_2026_2, unmatched)}
    assert rows[str(under_2026_1.subject_id)]["purposes_not_covered"] == [
        "measure_outcome",
        "share_with_initiative",
    ]
    assert rows[str(under_2026_2.subject_id)]["purposes_not_covered"] == ["share_with_initiative"]
    assert rows[str(unmatched.subject_id)]["unresolved_recipients"] == ["Straße"]
    assert rows[str(unmatched.subject_id)]["purposes_not_covered"] == []
    assert str(plain.subject_id) not in rows
    log = AccessLog.objects.get(object_type="signals.consent", actor_id=officer.pk)
    assert log.details["register"] == "consent_gaps"


def test_only_the_privacy_officer_reads_the_list(client_for):
    for user in (UserFactory(field_worker=True), UserFactory(admin=True)):
        assert client_for(user).get(GAPS).status_code == 403


def test_a_purpose_an_old_text_does_not_declare_lets_no_contact_detail_leave(client_for):
    """Found: under 2026-1 and 2026-2 the team handed name, phone and e-mail to an initiative."""
    initiative = make_initiative()
    signal, member, _ = worked_signal(consent=sharing_consent(initiative))
    assert initiative_services.gate_for(signal, initiative).allowed
    for version in ("2026-1", "2026-2"):
        recorded_under(signal, version)
        gate = initiative_services.gate_for(signal, initiative)
        assert not gate.allowed and gate.missing_purpose == "share_with_initiative"
    client = client_for(member)
    base = f"/api/v1/signals/{signal.pk}"
    client.post(f"{base}/referrals", {"initiative": str(initiative.pk)}, format="json")
    client.post(f"{base}/referral-steps", {"step": "agreed"}, format="json")
    refused = client.post(
        f"{base}/referral-steps", {"step": "contacted", "share_contact": True}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "initiative_consent_missing"
    assert "handover" not in refused.json()
    assert not AccessLog.objects.filter(action="export").exists()
