"""Demo organisations, teams, coverage and one user per role. For `make run` only: everything
demo-only about accounts lives here, and it refuses to run where the settings do not allow demo
data (settings.DEMO_DATA_ALLOWED)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.actors import SystemActor
from accounts.mfa import user_requires_mfa
from accounts.models import MappingVersion, Neighbourhood, Organisation, Team, TeamCoverage, User
from accounts.neighbourhood_import import import_address_table
from accounts.roles import Role
from accounts.services import TOTP_DEVICE_NAME
from audit.context import AccessContext

DEMO = SystemActor("demo")  # the demo loader acts as the system (docs/adr/0039)
DEMO_PASSWORD = "demo-verbinding-2026"
DEMO_SAMPLE = Path(__file__).parent / "demo_data" / "demo-sample-utrecht_pc6hnr20240801_gwb.csv"
DEMO_MAPPING_LABEL = "demo-2024"
# One known TOTP secret for every demo user who needs a second factor (b"demo-totp-not-secret").
DEMO_TOTP_KEY_HEX = "64656d6f2d746f74702d6e6f742d736563726574"
DEMO_TOTP_SECRET_B32 = "MRSW23ZNORXXI4BNNZXXILLTMVRXEZLU"

NEIGHBOURHOOD_NAMES = {
    "BU03440610": ("Domplein e.o. (demo)", "Binnenstad"),
    "BU03440611": ("Lange Nieuwstraat e.o. (demo)", "Binnenstad"),
    "BU03440310": ("Zambesidreef e.o. (demo)", "Overvecht"),
    "BU03440311": ("Tigrisdreef e.o. (demo)", "Overvecht"),
    "BU03440810": ("Kanaleneiland-Noord (demo)", "Zuidwest"),
    "BU03440910": ("Parkwijk (demo)", "Leidsche Rijn"),
    "BU03440710": ("Lunetten-Zuid (demo)", "Zuid"),
    "BU03440210": ("Zuilen-Oost (demo)", "Noordwest"),
}

TEAMS = {
    "Buurtteam Binnenstad": ["BU03440610", "BU03440611"],
    "Buurtteam Overvecht": ["BU03440310", "BU03440311"],
    "Buurtteam Kanaleneiland": ["BU03440810"],
    "Buurtteam Leidsche Rijn": ["BU03440910"],
    "Buurtteam Lunetten": ["BU03440710"],
}
CENTRAL_TEAM = "Centraal team Buurtsignaal"

# (email, name, organisation, roles, team memberships)
USERS = [
    (
        "signaleerder@demo.buurtsignaal.nl",
        "Sanne Signaleerder",
        "Woonstichting Demo",
        [Role.FIELD_WORKER],
        [],
    ),
    (
        "teamlid@demo.buurtsignaal.nl",
        "Tom Teamlid",
        "Buurtteams Utrecht (demo)",
        [],
        [("Buurtteam Binnenstad", "member")],
    ),
    (
        "coordinator@demo.buurtsignaal.nl",
        "Cora Coördinator",
        "Buurtteams Utrecht (demo)",
        [],
        [("Buurtteam Binnenstad", "coordinator"), (CENTRAL_TEAM, "coordinator")],
    ),
    (
        "overvecht@demo.buurtsignaal.nl",
        "Omar Overvecht",
        "Buurtteams Utrecht (demo)",
        [],
        [("Buurtteam Overvecht", "member")],
    ),
    (
        "privacy@demo.buurtsignaal.nl",
        "Pim Privacy",
        "Gemeente Utrecht (demo)",
        [Role.PRIVACY_OFFICER],
        [],
    ),
    ("beheer@demo.buurtsignaal.nl", "Bea Beheer", "Gemeente Utrecht (demo)", [Role.ADMIN], []),
]

ORGANISATIONS = {
    "Woonstichting Demo": Organisation.Kind.HOUSING_CORPORATION,
    "Buurtteams Utrecht (demo)": Organisation.Kind.BUURTTEAM,
    "Gemeente Utrecht (demo)": Organisation.Kind.MUNICIPALITY,
}


def demo_totp_enrol(*, user: User, key_hex: str) -> TOTPDevice:
    """A confirmed TOTP device with a known, published secret. Side effects: the user's TOTP
    devices replaced."""
    _require_demo_settings()
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key_hex, confirmed=True)


def _require_demo_settings() -> None:
    # The management command says so first; this holds for any other caller (a shell, a script).
    if not settings.DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured(f"demo accounts are refused under {settings.SETTINGS_MODULE}")


def load() -> list[str]:
    """Loads the demo accounts; returns lines to print. Safe to run twice. Refuses unless the
    settings allow demo data.

    Side effects: the demo mapping version, organisations, teams, coverage, users with the demo
    password, memberships and TOTP devices."""
    _require_demo_settings()
    if not MappingVersion.objects.filter(label=DEMO_MAPPING_LABEL).exists():
        with DEMO_SAMPLE.open(encoding="utf-8", newline="") as stream:
            import_address_table(
                stream=stream,
                version_label=DEMO_MAPPING_LABEL,
                source_name=DEMO_SAMPLE.name,
                is_demo=True,
                activate=True,
            )
    system = {"actor": DEMO, "context": AccessContext.system(role="demo")}
    with transaction.atomic():
        for code, (name, wijk_name) in NEIGHBOURHOOD_NAMES.items():
            Neighbourhood.objects.filter(code=code).update(
                name=name, wijk_name=wijk_name, municipality_name="Utrecht"
            )
        orgs = {
            name: Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for name, kind in ORGANISATIONS.items()
        }
        teams_org = orgs["Buurtteams Utrecht (demo)"]
        for team_name, codes in TEAMS.items():
            team, _ = Team.objects.get_or_create(
                name=team_name, defaults={"organisation": teams_org}
            )
            for code in codes:
                TeamCoverage.objects.get_or_create(
                    neighbourhood=Neighbourhood.objects.get(code=code), defaults={"team": team}
                )
        Team.objects.get_or_create(
            name=CENTRAL_TEAM, defaults={"organisation": teams_org, "is_central": True}
        )
        for email, full_name, org_name, roles, memberships in USERS:
            user = User.objects.filter(email=email).first() or services.user_create(
                email=email,
                password=DEMO_PASSWORD,
                full_name=full_name,
                organisation=orgs[org_name],
                roles=list(roles),
                **system,
            )
            # The system (DEMO, a SystemActor) writes memberships at once: demo memberships are
            # created approved; a person's would wait for a second one (docs/adr/0034).
            for team_name, role in memberships:
                services.team_membership_set(
                    team=Team.objects.get(name=team_name), user=user, role=role, **system
                )
            user = User.objects.get(pk=user.pk)  # fresh permission cache after the memberships
            if user_requires_mfa(user=user) and not user.totpdevice_set.exists():
                demo_totp_enrol(user=user, key_hex=DEMO_TOTP_KEY_HEX)
    lines = [f"Demo users (password for all: {DEMO_PASSWORD}):"]
    lines += [
        f"  {email:<40} {', '.join(r.label for r in roles) or 'buurtteam'}"
        for email, _, _, roles, _ in USERS
    ]
    lines += [
        "Second factor (TOTP) for everyone but the signaleerder; demo authenticator secret:",
        f"  {DEMO_TOTP_SECRET_B32}  (login -> mfa_token -> POST /api/v1/auth/mfa/verify).",
        "  Current code: .venv/bin/python -c 'from django_otp.oath import TOTP; "
        f'print("%06d" % TOTP(bytes.fromhex("{DEMO_TOTP_KEY_HEX}")).token())\'',
    ]
    return lines
