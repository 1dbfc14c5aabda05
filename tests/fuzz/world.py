"""A small realistic world for the fuzzer, made through the real services: two covered teams
and the central team, one user per role, signals in several states, notes, a break-glass
opening, subject requests, devices. Path parameters and id fields in bodies are drawn from
these ids most of the time, so the fuzzer reaches real objects, not only 404s."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accounts.models import Team, TeamRole, User
from privacy import subject_rights
from signals import services
from signals.models import Status
from tests.factories import TeamFactory, UserFactory, member_of
from tests.notifications.factories import DeviceFactory
from tests.signals.factories import make_signal, team_with_coverage

ROLES = (
    "anonymous",
    "field_worker",
    "team_member",
    "coordinator",
    "privacy_officer",
    "admin",
)


@dataclass
class World:
    users: dict[str, User]
    # Path parameter or body field name -> ids that exist.
    ids: dict[str, list[str]] = field(default_factory=dict)


def seed_world() -> World:
    binnenstad = team_with_coverage("Buurtteam Binnenstad", "3511AB", range(1, 21))
    overvecht = team_with_coverage("Buurtteam Overvecht", "3561AA", range(1, 21))
    TeamFactory(name="Centraal team", is_central=True)
    field_worker = UserFactory(field_worker=True)
    member = member_of(binnenstad)
    coordinator = member_of(binnenstad, role=TeamRole.COORDINATOR)
    other_member = member_of(overvecht)
    officer = UserFactory(privacy_officer=True)
    admin = UserFactory(admin=True)

    signals = [
        make_signal(signaller=field_worker, state=state, worker=member)
        for state in (
            Status.RECEIVED,
            Status.ROUTED,
            Status.ACKNOWLEDGED,
            Status.CONTACTED,
            Status.IN_FOLLOW_UP,
            Status.CLOSED,
            Status.DECLINED,
        )
    ]
    elsewhere = make_signal(
        signaller=field_worker,
        state=Status.ACKNOWLEDGED,
        worker=other_member,
        address={"postcode": "3561 AA", "house_number": 7, "addition": ""},
    )
    signals.append(elsewhere)
    notes = [
        services.signal_note_add(signal_id=signal.pk, actor=member, body="Eerste contact gehad.")
        for signal in signals[2:4]
    ]
    services.signal_break_glass_open(
        signal_id=elsewhere.pk, actor=member, reason="Bewoner belde ons team over dit signaal."
    )
    requests = [
        subject_rights.subject_request_register(
            actor=officer,
            kind=kind,
            subject_id=signal.subject_id,
            received_at=timezone.now() - timedelta(days=3),
            channel="letter",
            reason="Brief van de bewoner.",
        )
        for kind, signal in (("access", signals[1]), ("erasure", signals[5]))
    ]
    users = {
        "field_worker": field_worker,
        "team_member": member,
        "coordinator": coordinator,
        "privacy_officer": officer,
        "admin": admin,
    }
    devices = [DeviceFactory(user=user) for user in users.values()]
    teams = Team.objects.filter(pk__in=[binnenstad.pk, overvecht.pk])
    subject_ids = [str(signal.subject_id) for signal in signals]
    return World(
        users=users,
        ids={
            "signal_id": [str(signal.pk) for signal in signals],
            "subject_id": subject_ids,
            "subject": subject_ids,
            "request_id": [str(request.pk) for request in requests],
            "request": [str(request.pk) for request in requests],
            "device_id": [str(device.pk) for device in devices],
            "team": [str(team.pk) for team in teams],
            "assignee": [str(user.pk) for user in (member, coordinator, other_member)],
            "actor": [str(user.pk) for user in users.values()],
            "corrects": [str(note.pk) for note in notes],
        },
    )
