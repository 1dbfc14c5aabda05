"""Starting reason codes, deadline policies, the first consent texts and role permissions."""

import hashlib

from django.db import migrations

from accounts.migration_helpers import grant_role_permissions

REASONS = [
    ("lost_partner", "Partner verloren", "Lost partner"),
    ("few_contacts", "Weinig contacten", "Few contacts"),
    ("limited_mobility", "Beperkt mobiel", "Limited mobility"),
    ("language_barrier", "Taalbarrière", "Language barrier"),
    ("recently_moved", "Pas verhuisd", "Recently moved"),
    ("caring_for_someone", "Zorgt voor iemand", "Caring for someone"),
]

# urgency, acknowledge within, first contact within, counted in working hours
DEADLINES = [
    ("normal", 16, 40, True),
    ("soon", 8, 16, True),
    ("urgent", 4, 24, False),
]

CONSENT_TEXTS = {
    "nl": (
        "Ik vind het goed dat mijn voornaam, mijn adres en de contactgegevens die ik opgeef "
        "worden doorgegeven aan het buurtteam van mijn buurt, zodat iemand van dat team contact "
        "met mij opneemt om samen te kijken wat mij kan helpen om meer verbonden te zijn. Mijn "
        "gegevens worden alleen daarvoor gebruikt. Ik kan deze toestemming altijd intrekken, "
        "bij degene die dit noteert of bij het buurtteam."
    ),
    "en": (
        "I agree that my first name, my address and the contact details I give are passed on "
        "to the neighbourhood team for my area, so that someone from that team contacts me to "
        "look together at what could help me feel more connected. My details are used for that "
        "purpose only. I can withdraw this consent at any time, with the person recording it or "
        "with the neighbourhood team."
    ),
}

ROLE_PERMISSIONS = {
    "admin": [
        f"signals.{action}_{model}"
        for model in ("reasoncode", "consenttext", "routingrule", "deadlinepolicy")
        for action in ("add", "change", "view")
    ],
    "team_member": ["signals.break_glass_signal"],
    "team_coordinator": ["signals.break_glass_signal"],
}


def seed(apps, schema_editor):
    ReasonCode = apps.get_model("signals", "ReasonCode")
    for position, (code, nl, en) in enumerate(REASONS):
        ReasonCode.objects.get_or_create(
            code=code, defaults={"label_nl": nl, "label_en": en, "position": position * 10}
        )
    DeadlinePolicy = apps.get_model("signals", "DeadlinePolicy")
    for urgency, ack, contact, working in DEADLINES:
        DeadlinePolicy.objects.get_or_create(
            urgency=urgency,
            defaults={"acknowledge_within_hours": ack, "first_contact_within_hours": contact,
                      "working_hours": working},
        )
    ConsentText = apps.get_model("signals", "ConsentText")
    for language, body in CONSENT_TEXTS.items():
        ConsentText.objects.get_or_create(
            version="2026-1", language=language,
            defaults={"body": body, "sha256": hashlib.sha256(body.encode()).hexdigest()},
        )
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
