"""Signals made through the real services, with traits per workflow state."""

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import Team, User
from signals import services
from signals.models import ConsentPurpose, ConsentText, Signal, Status
from signals.services import IntakeConsent, IntakeInput
from tests.factories import UserFactory

# The path from routed to each state, walked through the real transition service.
PATH_TO = {
    Status.ROUTED: [],
    Status.ACKNOWLEDGED: [Status.ACKNOWLEDGED],
    Status.CONTACTED: [Status.ACKNOWLEDGED, Status.CONTACTED],
    Status.IN_FOLLOW_UP: [Status.ACKNOWLEDGED, Status.CONTACTED, Status.IN_FOLLOW_UP],
    Status.CLOSED: [Status.ACKNOWLEDGED, Status.CLOSED],
    Status.DECLINED: [Status.DECLINED],
}


def intake_payload(**overrides: Any) -> dict[str, Any]:
    """A valid JSON body for POST /api/v1/signals."""
    text = ConsentText.objects.get(version="2026-3", language="nl")
    body: dict[str, Any] = {
        "client_uuid": str(uuid.uuid4()),
        "resident": {
            "first_name": "Wilhelmina",
            "phone": "+31 6 12345678",
            "email": "wilhelmina@example.test",
        },
        "address": {"postcode": "3511 ab", "house_number": 3, "addition": ""},
        "preferred_language": "nl",
        "target_group": "elderly_at_home",
        "reasons": ["few_contacts"],
        "observation": "Zit vaak alleen op het bankje bij de flat.",
        "urgency": "normal",
        "consent": {
            "given_by": "resident",
            "method": "verbal_in_person",
            "given_at": (timezone.now() - timedelta(minutes=3)).isoformat(),
            "purposes": {"team_contact": True, "share_with_initiative": False},
            "consent_text_id": text.pk,
            "consent_text_sha256": text.sha256,
        },
    }
    for key, value in overrides.items():
        body[key] = value
    return body


def intake_input(
    *,
    address: dict[str, Any] | None = None,
    resident: dict[str, Any] | None = None,
    consent: dict[str, Any] | None = None,
    **overrides: Any,
) -> IntakeInput:
    """The service input for the same signal as intake_payload, for calling signal_create
    directly. `address`, `resident` and `consent` take the parts of the API body by their API
    names; anything else is an IntakeInput field."""
    text = ConsentText.objects.get(version="2026-3", language="nl")
    fields: dict[str, Any] = {
        "client_uuid": uuid.uuid4(),
        "first_name": "Wilhelmina",
        "phone": "+31 6 12345678",
        "email": "wilhelmina@example.test",
        "postcode": "3511AB",
        "house_number": 3,
        "preferred_language": "nl",
        "target_group": "elderly_at_home",
        "reasons": ("few_contacts",),
        "observation": "Zit vaak alleen op het bankje bij de flat.",
        "urgency": "normal",
    }
    if address is not None:
        fields["postcode"] = address["postcode"].replace(" ", "").upper()
        fields["house_number"] = address["house_number"]
        fields["house_number_addition"] = address.get("addition", "")
    if resident is not None:
        fields["first_name"] = resident["first_name"]
        fields["phone"] = resident.get("phone", "")
        fields["email"] = resident.get("email", "")
    fields.update(overrides)
    fields["reasons"] = tuple(fields["reasons"])
    consent_fields: dict[str, Any] = {
        "given_by": "resident",
        "method": "verbal_in_person",
        "given_at": timezone.now() - timedelta(minutes=3),
        "purposes": frozenset({ConsentPurpose.TEAM_CONTACT}),
        "consent_text_id": text.pk,
        "consent_text_sha256": text.sha256,
        **(consent or {}),
    }
    return IntakeInput(**fields, consent=IntakeConsent(**consent_fields))


def make_signal(
    *,
    signaller: User | None = None,
    state: str = Status.RECEIVED,
    worker: User | None = None,
    **overrides: Any,
) -> Signal:
    """A signal in `state`, made and moved by the real services. States past `received` need
    a team covering the address (or a central team) and, past `routed`, a `worker` in it."""
    signaller = signaller or UserFactory(field_worker=True)
    signal = services.signal_create(actor=signaller, intake=intake_input(**overrides)).signal
    if state == Status.RECEIVED:
        return signal
    services.signal_route(signal_id=signal.pk, actor=SYSTEM)
    for step in PATH_TO[state]:
        signal.refresh_from_db()
        services.signal_transition(
            signal_id=signal.pk,
            actor=worker,
            to_status=step,
            expected_version=signal.version,
            note="Kan het niet oppakken." if step == Status.DECLINED else "",
            outcome="connected_to_informal_network" if step == Status.CLOSED else "",
        )
    signal.refresh_from_db()
    return signal


def team_with_coverage(
    name: str = "Buurtteam Binnenstad", postcode: str = "3511AB", numbers: range = range(1, 21)
) -> Team:
    """A team covering one buurt that holds `postcode` with `numbers`, in the active mapping."""
    from accounts.models import AddressPoint
    from tests.factories import MappingVersionFactory, NeighbourhoodFactory, TeamFactory, cover

    version = MappingVersionFactory()
    buurt = NeighbourhoodFactory(mapping_version=version)
    for number in numbers:
        AddressPoint.objects.get_or_create(
            mapping_version=version,
            postcode=postcode,
            house_number=number,
            defaults={"neighbourhood": buurt},
        )
    team = TeamFactory(name=name)
    cover(team, buurt)
    return team
