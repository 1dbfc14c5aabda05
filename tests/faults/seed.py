"""Seeds the fault harness's template database through the real services:

    DATABASE_URL=... DJANGO_SETTINGS_MODULE=backend.settings.test python -m tests.faults.seed

A central team (every address the load driver sends is unmapped, so routing picks it), team
members with one device each and no quiet hours (pushes are due whatever the hour), and field
workers who submit. Prints what the driver needs as one JSON line.
"""

import json
import os

import django

from tests.faults import population


def seed(*, field_workers: int, members: int) -> dict[str, object]:
    from django.db import transaction

    from accounts import services
    from accounts.actors import SystemActor  # after django.setup(): it imports the models
    from accounts.models import Organisation, Team, TeamRole
    from accounts.roles import Role
    from audit.context import AccessContext
    from notifications.models import Device, NotificationPreference
    from signals.models import ConsentText
    from tests.faults.population import PASSWORD, device_token, field_worker_email, member_email

    system = {
        "actor": SystemActor("faults-seed"),
        "context": AccessContext.system(role="faults-seed"),
    }
    with transaction.atomic():
        housing = Organisation.objects.create(
            name="Woningcorporatie (faults)", kind=Organisation.Kind.HOUSING_CORPORATION
        )
        teams_org = Organisation.objects.create(
            name="Buurtteams (faults)", kind=Organisation.Kind.BUURTTEAM
        )
        central = Team.objects.create(
            name="Centraal team (faults)", organisation=teams_org, is_central=True
        )
        for number in range(field_workers):
            services.user_create(
                email=field_worker_email(number),
                password=PASSWORD,
                full_name=f"Signaleerder {number}",
                organisation=housing,
                roles=[Role.FIELD_WORKER],
                **system,
            )
        for number in range(members):
            user = services.user_create(
                email=member_email(number),
                password=PASSWORD,
                full_name=f"Teamlid {number}",
                organisation=teams_org,
                **system,
            )
            services.team_membership_set(team=central, user=user, role=TeamRole.MEMBER, **system)
            # Equal start and end: no quiet hours, so every push is due at once.
            NotificationPreference.objects.create(
                user=user,
                quiet_hours_start=NotificationPreference.DEFAULT_END,
                quiet_hours_end=NotificationPreference.DEFAULT_END,
            )
            Device.objects.create(
                user=user,
                registration_token=device_token(number),
                platform=Device.Platform.ANDROID,
                app_version="1.4.0",
            )
    text = ConsentText.objects.get(version="2026-1", language="nl", is_active=True)
    return {"consent_text_id": text.pk, "consent_text_sha256": text.sha256}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.test")
    django.setup()
    from django.conf import global_settings
    from django.test import override_settings

    # The stack runs production settings, whose hashers do not read the test settings' MD5.
    with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
        seeded = seed(field_workers=population.FIELD_WORKERS, members=population.MEMBERS)
    print(json.dumps(seeded))


if __name__ == "__main__":
    main()
