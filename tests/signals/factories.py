"""Signals made through the real services, with traits per workflow state."""

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Team, User
from signals import services
from signals.models import ConsentText, Signal, Status
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
    text = ConsentText.objects.get(version="2026-1", language="nl")
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


def service_data(**overrides: Any) -> dict[str, Any]:
    """The validated form of intake_payload, for calling signal_create directly."""
    from signals.api.serializers import SignalCreateInput

    serializer = SignalCreateInput(data=intake_payload(**overrides))
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


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
    signal = services.signal_create(user=signaller, data=service_data(**overrides)).signal
    if state == Status.RECEIVED:
        return signal
    services.signal_route(signal_id=signal.pk)
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
