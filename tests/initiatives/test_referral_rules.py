"""The referral's rules written out, so that loosening one fails a test (issue 19, item 7): the
whole step table pair by pair, a jump from `agreed` to `meeting_happened` refused through the
API, and an inactive initiative refused in a proposal with nothing written."""

import pytest

from initiatives.models import Referral, ReferralStep
from initiatives.referral_flow import is_allowed
from signals.models import SignalEvent
from tests.initiatives.factories import make_initiative, worked_signal

pytestmark = pytest.mark.django_db

DECLINES = {"declined_by_resident", "declined_by_initiative"}
# Written out by hand from ADR 0026, not read from initiatives.referral_flow.
EXPECTED = {
    "proposed": {"agreed", "stuck", "declined_by_resident"},
    "agreed": {"contacted", "stuck", "declined_by_resident"},
    "contacted": {"meeting_planned", "stuck"} | DECLINES,
    "meeting_planned": {"meeting_happened", "meeting_planned", "stuck"} | DECLINES,
    "stuck": {"agreed", "contacted", "meeting_planned"} | DECLINES,
    "meeting_happened": set(),
    "declined_by_resident": set(),
    "declined_by_initiative": set(),
    "stopped": set(),
}


def test_the_step_table_pair_by_pair():
    steps = [choice.value for choice in ReferralStep]
    assert set(steps) == set(EXPECTED)
    wrong = [(a, b) for a in steps for b in steps if is_allowed(a, b) != (b in EXPECTED[a])]
    assert wrong == []


def url(signal, tail: str) -> str:
    return f"/api/v1/signals/{signal.pk}/{tail}"


def test_agreed_cannot_jump_to_a_first_meeting(client_for):
    signal, member, _ = worked_signal()
    client = client_for(member)
    initiative = make_initiative()
    proposed = client.post(
        url(signal, "referrals"), {"initiative": str(initiative.pk)}, format="json"
    )
    assert proposed.status_code == 201, proposed.json()
    agreed = client.post(url(signal, "referral-steps"), {"step": "agreed"}, format="json")
    assert agreed.status_code == 200, agreed.json()
    events = SignalEvent.objects.count()
    response = client.post(
        url(signal, "referral-steps"), {"step": "meeting_happened"}, format="json"
    )
    assert response.status_code == 409, response.json()
    assert Referral.objects.get().step == "agreed"
    assert SignalEvent.objects.count() == events


def test_an_inactive_initiative_cannot_be_proposed(client_for):
    signal, member, _ = worked_signal()
    gone = make_initiative(is_active=False)
    events = SignalEvent.objects.count()
    response = client_for(member).post(
        url(signal, "referrals"), {"initiative": str(gone.pk)}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "initiative_unavailable"
    assert not Referral.objects.exists()
    assert SignalEvent.objects.count() == events


def test_a_withdrawn_consent_closes_the_gate_even_where_it_named_the_initiative():
    """The gate itself refuses a withdrawn consent, whatever the purposes passed say."""
    from initiatives.consent_gate import check
    from signals.models import ConsentPurpose

    given = {ConsentPurpose.SHARE_WITH_INITIATIVE: True}
    open_gate = check(given=given, recipients=["initiative:any"], withdrawn=False, initiative_id=1)
    assert open_gate.allowed  # the control
    gate = check(given=given, recipients=["initiative:any"], withdrawn=True, initiative_id=1)
    assert not gate.allowed and gate.withdrawn


@pytest.mark.parametrize(
    ("steps", "closing"),
    [
        (["agreed", "contacted", "meeting_planned"], "meeting_happened"),
        (["agreed"], "declined_by_resident"),
        (["agreed", "contacted"], "declined_by_initiative"),
    ],
)
def test_no_contact_detail_leaves_on_a_closing_step(client_for, steps, closing):
    from audit.models import AccessLog
    from tests.initiatives.factories import sharing_consent

    initiative = make_initiative()
    signal, member, _ = worked_signal(consent=sharing_consent(initiative))
    client = client_for(member)
    body = {"initiative": str(initiative.pk)}
    assert client.post(url(signal, "referrals"), body, format="json").status_code == 201
    for name in steps:
        done = client.post(url(signal, "referral-steps"), {"step": name}, format="json")
        assert done.status_code == 200, done.json()
    exports = AccessLog.objects.filter(action="export").count()
    extra = {"reason": "Past niet."} if closing.startswith("declined") else {}
    response = client.post(
        url(signal, "referral-steps"),
        {"step": closing, "share_contact": True, **extra},
        format="json",
    )
    assert response.status_code == 403, response.json()
    assert response.json()["code"] == "initiative_consent_missing"
    referral = Referral.objects.get()
    assert referral.contact_shared_at is None and referral.step == steps[-1]
    assert AccessLog.objects.filter(action="export").count() == exports


def test_the_recipient_date_is_the_first_handover():
    """Attack review of issue 18: a second handover moved the date the details first left."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from initiatives import selectors, services
    from tests.initiatives.factories import sharing_consent

    initiative = make_initiative()
    signal, member, _ = worked_signal(consent=sharing_consent(initiative))
    services.referral_propose(actor=member, signal_id=signal.pk, initiative_id=initiative.pk)
    first = timezone.now()
    shared = services.referral_step(
        actor=member, signal_id=signal.pk, step="agreed", share_contact=True
    )
    assert shared.handover["resident"]["phone"]
    with time_machine.travel(first + timedelta(days=20)):
        services.referral_step(
            actor=member, signal_id=signal.pk, step="contacted", share_contact=True
        )
    [recipient] = selectors.data_recipients(signal_ids=[signal.pk])
    assert recipient.received_at - first < timedelta(hours=1)


def test_no_handover_to_an_initiative_that_left_the_catalogue():
    """Attack review of issue 18: proposed while active, deactivated, then handed the details."""
    from backend.errors import DomainError
    from initiatives import services
    from initiatives.models import Initiative
    from tests.initiatives.factories import sharing_consent

    initiative = make_initiative()
    signal, member, _ = worked_signal(consent=sharing_consent("any"))
    services.referral_propose(actor=member, signal_id=signal.pk, initiative_id=initiative.pk)
    Initiative.objects.filter(pk=initiative.pk).update(is_active=False)
    with pytest.raises(DomainError) as refused:
        services.referral_step(actor=member, signal_id=signal.pk, step="agreed", share_contact=True)
    assert refused.value.code == "initiative_unavailable"
    referral = Referral.objects.get()
    assert referral.contact_shared_at is None and referral.step == "proposed"
