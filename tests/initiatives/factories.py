"""Initiatives for tests, and a signal a team works on in a buurt the catalogue can cover."""

import itertools
from datetime import date
from typing import Any

from accounts.models import Neighbourhood, User
from initiatives.models import Initiative
from signals.models import ReasonCode, Signal, Status
from tests.factories import member_of
from tests.signals.factories import make_signal, team_with_coverage

_numbers = itertools.count(1)


def make_initiative(*, reasons: tuple[str, ...] = (), **fields: Any) -> Initiative:
    n = next(_numbers)
    values: dict[str, Any] = {
        "slug": f"initiatief-{n}",
        "name": f"Initiatief {n}",
        "description_nl": "Een plek om elkaar te ontmoeten.",
        "contact_route": "Via de website.",
        "last_verified_on": date.today(),
        "citywide": True,
        **fields,
    }
    initiative = Initiative.objects.create(**values)
    initiative.reasons.set(ReasonCode.objects.filter(code__in=reasons))
    return initiative


def worked_signal(
    *, state: str = Status.CONTACTED, team_name: str = "Buurtteam Binnenstad", **overrides: Any
) -> tuple[Signal, User, Neighbourhood]:
    """A signal of a team in `state`, the team member working it, and its buurt (another
    `team_name` covers postcode 3563AB)."""
    if team_name == "Buurtteam Binnenstad":
        team = team_with_coverage(team_name)
    else:
        team = team_with_coverage(team_name, postcode="3563AB")
        overrides.setdefault("address", {"postcode": "3563AB", "house_number": 5, "addition": ""})
    member = member_of(team)
    signal = make_signal(state=state, worker=member, **overrides)
    signal.refresh_from_db()
    return signal, member, signal.neighbourhood


def sharing_consent(*initiatives: Any) -> dict[str, Any]:
    """Consent (IntakeConsent fields) that also allows sharing with the initiatives named: each
    a catalogue entry (named by its id, as the app does) or "any"."""
    from signals.models import ConsentPurpose

    return {
        "purposes": frozenset({ConsentPurpose.TEAM_CONTACT, ConsentPurpose.SHARE_WITH_INITIATIVE}),
        "initiatives": tuple(str(getattr(i, "pk", i)) for i in initiatives),
    }
