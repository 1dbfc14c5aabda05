"""What a city has configured before its first signal: about 18 buurtteams covering 100 buurten
in 10 wijken, a central team, field workers and team members, push devices."""

import uuid
from dataclasses import dataclass, field
from datetime import time

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.actors import SystemActor
from accounts.models import (
    AddressPoint,
    MappingVersion,
    Neighbourhood,
    Organisation,
    Team,
    TeamCoverage,
    User,
)
from accounts.roles import Role
from audit.context import AccessContext
from notifications.models import Device, NotificationPreference
from signals.models import ConsentText, ReasonCode

# Synthetic accounts on a throw-away database; the harness logs in with these.
BENCH_PASSWORD = "bench-verbinding-not-secret"
BENCH_TOTP_KEY_HEX = "62656e63682d746f74702d6e6f742d736563726574"  # b"bench-totp-not-secret"
EMAIL_DOMAIN = "bench.buurtsignaal.test"

TEAM_COUNT = 18
WIJKEN = 10
BUURTEN_PER_WIJK = 10
UNCOVERED_BUURTEN = 4  # these route to the central team
POSTCODES_PER_BUURT = 5
HOUSE_NUMBERS_PER_POSTCODE = 10
FIELD_WORKERS = 40
LOGIN_FIELD_WORKERS = 4
MEMBERS_PER_TEAM = 3


@dataclass
class Buurt:
    id: int
    team_id: uuid.UUID
    addresses: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class World:
    mapping_version_id: int
    central_team_id: uuid.UUID
    teams: dict[
        uuid.UUID, dict[str, list[uuid.UUID]]
    ]  # team -> {"members": [...], "coordinators": [...]}
    buurten: list[Buurt]
    field_workers: list[tuple[uuid.UUID, uuid.UUID]]  # (user id, organisation id)
    login_field_workers: list[str]
    queue_member: dict[str, str]
    consent_text: tuple[int, str]
    reason_ids: list[int]


def _postcode(wijk: int, buurt: int, index: int) -> str:
    return f"35{wijk}{buurt}{'ABCDEFGHJK'[index]}{'LMNPRSTVWX'[buurt]}"


def _neighbourhoods(version: MappingVersion) -> list[Neighbourhood]:
    rows = [
        Neighbourhood(
            code=f"BU0344{w:02d}{b:02d}",
            name=f"Bench buurt {w}.{b}",
            wijk_code=f"WK0344{w:02d}",
            wijk_name=f"Bench wijk {w}",
            municipality_code="GM0344",
            municipality_name="Utrecht",
            mapping_version=version,
        )
        for w in range(WIJKEN)
        for b in range(BUURTEN_PER_WIJK)
    ]
    return Neighbourhood.objects.bulk_create(rows)


def build() -> World:
    """Creates the configured city. Side effects: rows in accounts, notifications, otp and
    privacy (the account services log every user and membership they create)."""
    system = {"actor": SystemActor("bench"), "context": AccessContext.system(role="bench")}
    with transaction.atomic():
        version = MappingVersion.objects.create(label="bench-2024", is_active=True)
        buurten_rows = _neighbourhoods(version)
        points = []
        for row in buurten_rows:
            w, b = int(row.code[6:8]), int(row.code[8:10])
            for p in range(POSTCODES_PER_BUURT):
                for n in range(1, HOUSE_NUMBERS_PER_POSTCODE + 1):
                    points.append(
                        AddressPoint(
                            mapping_version=version,
                            postcode=_postcode(w, b, p),
                            house_number=n,
                            neighbourhood=row,
                        )
                    )
        AddressPoint.objects.bulk_create(points, batch_size=2000)

        teams_org = Organisation.objects.create(name="Buurtteams (bench)", kind="buurtteam")
        signaller_orgs = [
            Organisation.objects.create(name="Woonstichting (bench)", kind="housing_corporation"),
            Organisation.objects.create(name="Welzijn (bench)", kind="welfare"),
        ]
        teams = [
            Team.objects.create(name=f"Buurtteam Bench {i + 1:02d}", organisation=teams_org)
            for i in range(TEAM_COUNT)
        ]
        central = Team.objects.create(
            name="Centraal team (bench)", organisation=teams_org, is_central=True
        )
        buurten = []
        for index, row in enumerate(buurten_rows):
            covered = index < len(buurten_rows) - UNCOVERED_BUURTEN
            team = teams[index % TEAM_COUNT] if covered else central
            if covered:
                TeamCoverage.objects.create(team=team, neighbourhood=row)
            buurt = Buurt(id=row.pk, team_id=team.pk)
            buurt.addresses = [
                (p.postcode, p.house_number) for p in points if p.neighbourhood_id == row.pk
            ]
            buurten.append(buurt)

        password_hash = make_password(BENCH_PASSWORD)  # hashed once, shared by the login users
        field_workers, login_emails = [], []
        for i in range(FIELD_WORKERS):
            org = signaller_orgs[i % len(signaller_orgs)]
            email = f"fw{i:02d}@{EMAIL_DOMAIN}"
            user = services.user_create(
                email=email, organisation=org, roles=[Role.FIELD_WORKER], **system
            )
            field_workers.append((user.pk, org.pk))
            if i < LOGIN_FIELD_WORKERS:
                login_emails.append(email)
        User.objects.filter(email__in=login_emails).update(password=password_hash)

        team_users: dict[uuid.UUID, dict[str, list[uuid.UUID]]] = {}
        devices, preferences = [], []
        for t, team in enumerate([*teams, central]):
            roles = {"members": [], "coordinators": []}
            for j in range(MEMBERS_PER_TEAM + 1):
                role = "coordinator" if j == MEMBERS_PER_TEAM else "member"
                user = services.user_create(
                    email=f"t{t:02d}-{role}{j}@{EMAIL_DOMAIN}", organisation=teams_org, **system
                )
                services.team_membership_set(team=team, user=user, role=role, **system)
                roles[f"{role}s"].append(user.pk)
                devices.append(
                    Device(
                        user=user,
                        registration_token=f"bench-token-{user.pk}",
                        platform=Device.Platform.ANDROID,
                    )
                )
                # No quiet hours: pushes are due at once whatever time of day the bench runs.
                preferences.append(
                    NotificationPreference(
                        user=user, quiet_hours_start=time(0), quiet_hours_end=time(0)
                    )
                )
            team_users[team.pk] = roles
        Device.objects.bulk_create(devices)
        NotificationPreference.objects.bulk_create(preferences)

        member = User.objects.get(pk=team_users[teams[0].pk]["members"][0])
        User.objects.filter(pk=member.pk).update(password=password_hash)
        TOTPDevice.objects.create(
            user=member, name="authenticator", key=BENCH_TOTP_KEY_HEX, confirmed=True
        )
        text = ConsentText.objects.get(version="2026-1", language="nl")
        return World(
            mapping_version_id=version.pk,
            central_team_id=central.pk,
            teams=team_users,
            buurten=buurten,
            field_workers=field_workers,
            login_field_workers=login_emails,
            queue_member={
                "email": member.email,
                "totp_key_hex": BENCH_TOTP_KEY_HEX,
                "team_id": str(teams[0].pk),
            },
            consent_text=(text.pk, text.sha256),
            reason_ids=list(ReasonCode.objects.values_list("pk", flat=True)),
        )
