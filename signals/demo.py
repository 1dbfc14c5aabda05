"""Demo signals in several states so the queue in `make run` is not empty."""

import uuid
from datetime import timedelta

from django.utils import timezone

from accounts.demo import DEMO
from accounts.models import Team, User
from signals import services
from signals.models import ConsentPurpose, ConsentText, Signal, Status

DEMO_NAMESPACE = uuid.UUID("6f1c7a52-1d7e-4c35-9d0e-3f9e0e6b7c11")

# (first name, postcode, number, target group, reasons, urgency, steps to walk it through)
SIGNALS = [
    ("Anna", "3511AB", 3, "elderly_at_home", ["few_contacts"], "normal", []),
    ("Bram", "3511AB", 14, "young_adult", ["recently_moved"], "soon", ["acknowledged"]),
    (
        "Chen",
        "3561AA",
        7,
        "migrant_elderly",
        ["language_barrier"],
        "normal",
        ["acknowledged", "contacted"],
    ),
    ("Dina", "3526AB", 2, "elderly_at_home", ["lost_partner"], "urgent", []),
    (
        "Eef",
        "3511AC",
        9,
        "elderly_at_home",
        ["limited_mobility"],
        "normal",
        # initiatives.demo refers Eef to an initiative and closes the signal as connected.
        ["acknowledged", "contacted", "in_follow_up"],
    ),
    ("Fenna", "3553AB", 4, "other", ["caring_for_someone"], "normal", []),  # uncovered buurt
    ("Gijs", "9999ZZ", 1, "young_adult", ["few_contacts"], "normal", []),  # unknown address
]


def load() -> list[str]:
    signaller = User.objects.get(email="signaleerder@demo.buurtsignaal.nl")
    text = ConsentText.objects.get(version="2026-1", language="nl")
    created = 0
    for index, (name, postcode, number, group, reasons, urgency, steps) in enumerate(SIGNALS):
        client_uuid = uuid.uuid5(DEMO_NAMESPACE, str(index))
        if Signal.objects.filter(created_by=signaller, client_uuid=client_uuid).exists():
            continue
        result = services.signal_create(
            actor=signaller,
            intake=services.IntakeInput(
                client_uuid=client_uuid,
                first_name=name,
                postcode=postcode,
                house_number=number,
                preferred_language="nl",
                target_group=group,
                reasons=tuple(reasons),
                observation="Demo: fictieve bewoner.",
                urgency=urgency,
                consent=services.IntakeConsent(
                    given_by="resident",
                    method="verbal_in_person",
                    given_at=timezone.now() - timedelta(minutes=5),
                    purposes=frozenset({ConsentPurpose.TEAM_CONTACT}),
                    consent_text_id=text.pk,
                ),
            ),
        )
        signal = services.signal_route(signal_id=result.signal.pk, actor=DEMO)
        _walk(signal, steps)
        created += 1
    central = Team.objects.filter(is_central=True).first()
    return [
        f"Demo signals: {created} added ({Signal.objects.count()} in total; "
        f"unmapped ones go to '{central}')."
    ]


def _walk(signal: Signal | None, steps: list[str]) -> None:
    if signal is None or signal.team is None:
        return
    worker = signal.team.members.first()
    if worker is None:
        return
    for step in steps:
        signal.refresh_from_db()
        services.signal_transition(
            signal_id=signal.pk,
            actor=worker,
            to_status=step,
            expected_version=signal.version,
            outcome="connected_to_informal_network" if step == Status.CLOSED else "",
        )
