"""A signal whose contact details the team handed to an initiative, through the API as a team
does it: for the tests of who already received a resident's data (AVG art. 19)."""

from typing import Any

from accounts.models import User
from initiatives.models import Initiative
from signals.models import Signal
from tests.initiatives.factories import make_initiative, sharing_consent, worked_signal
from tests.initiatives.test_referrals import propose, step


def contact_handed_over(client_for: Any) -> tuple[Signal, Initiative, User]:
    """Domstad Plusbus received the contact details (step `contacted` with sharing); returns
    the signal, the initiative and the team member."""
    initiative = make_initiative(name="Domstad Plusbus", slug="domstad-plusbus")
    signal, member, _ = worked_signal(consent=sharing_consent(initiative))
    team = client_for(member)
    propose(team, signal, initiative)
    step(team, signal, "agreed")
    assert step(team, signal, "contacted", share_contact=True).status_code == 200
    return signal, initiative, member
