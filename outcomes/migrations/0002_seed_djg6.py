"""The De Jong Gierveld 6-item loneliness scale as data, the consent texts that name
measuring, and who may read the figures (docs/adr/0030).

Items, wording and scoring: J. de Jong Gierveld & T. van Tilburg (2006), "A 6-item scale for
overall, emotional, and social loneliness: confirmatory tests on survey data", Research on
Aging 28(5), 582-598; the Dutch wording and scoring as CBS publishes them (De Jong Gierveld &
Van Tilburg 2008, Tijdschrift voor Gerontologie en Geriatrie 39(1), 4-15; CBS, "Het meten
van eenzaamheid", 2018). Items in CBS's order. Emotional items count 1 for "ja" or "min of
meer"; social items count 1 for "nee" or "min of meer"."""

import hashlib

from django.db import migrations

from accounts.migration_helpers import grant_role_permissions

SOURCE = (
    "De Jong Gierveld, J. & Van Tilburg, T. (2006). A 6-item scale for overall, emotional, and "
    "social loneliness: confirmatory tests on survey data. Research on Aging 28(5), 582-598. "
    "Dutch wording and scoring as published by CBS (Het meten van eenzaamheid, 2018; "
    "Sociale samenhang en Welzijn) and in De Jong Gierveld & Van Tilburg (2008), De ingekorte "
    "schaal voor algemene, emotionele en sociale eenzaamheid, Tijdschrift voor Gerontologie en "
    "Geriatrie 39(1), 4-15."
)

SUBSCALES = [
    ("emotional", "Emotionele eenzaamheid", "Emotional loneliness"),
    ("social", "Sociale eenzaamheid", "Social loneliness"),
]

# (code, subscale, Dutch, English)
ITEMS = [
    ("emptiness", "emotional", "Ik ervaar een leegte om me heen.",
     "I experience a general sense of emptiness."),
    ("rely_on", "social",
     "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.",
     "There are plenty of people I can rely on when I have problems."),
    ("trust", "social", "Ik heb veel mensen op wie ik volledig kan vertrouwen.",
     "There are many people I can trust completely."),
    ("miss_people", "emotional", "Ik mis mensen om me heen.", "I miss having people around."),
    ("close_to", "social", "Er zijn voldoende mensen met wie ik me nauw verbonden voel.",
     "There are enough people I feel close to."),
    ("rejected", "emotional", "Vaak voel ik me in de steek gelaten.", "I often feel rejected."),
]

OPTIONS = [("yes", "Ja", "Yes"), ("more_or_less", "Min of meer", "More or less"),
           ("no", "Nee", "No")]
POINTS = {
    "emotional": {"yes": 1, "more_or_less": 1, "no": 0},
    "social": {"yes": 0, "more_or_less": 1, "no": 1},
}
BANDS = [
    ("not_lonely", 0, 1, "Niet eenzaam", "Not lonely"),
    ("moderately_lonely", 2, 4, "Matig eenzaam", "Moderately lonely"),
    ("severely_lonely", 5, 6, "Sterk eenzaam", "Severely lonely"),
]

# The 2026-1 texts with a sentence on measuring added: consent to measure is asked with it.
CONSENT_TEXTS = {
    "nl": (
        "Ik vind het goed dat mijn voornaam, mijn adres en de contactgegevens die ik opgeef "
        "worden doorgegeven aan het buurtteam van mijn buurt, zodat iemand van dat team contact "
        "met mij opneemt om samen te kijken wat mij kan helpen om meer verbonden te zijn. Mijn "
        "gegevens worden alleen daarvoor gebruikt. Als ik daarvoor apart ja zeg, stelt het "
        "buurtteam mij bij het eerste contact en later nog eens zes korte vragen over hoe "
        "verbonden ik mij voel; mijn antwoorden tellen alleen anoniem mee in cijfers over of de "
        "hulp werkt, en ik mag elke keer nee zeggen. Ik kan deze toestemming altijd intrekken, "
        "bij degene die dit noteert of bij het buurtteam."
    ),
    "en": (
        "I agree that my first name, my address and the contact details I give are passed on "
        "to the neighbourhood team for my area, so that someone from that team contacts me to "
        "look together at what could help me feel more connected. My details are used for that "
        "purpose only. If I say yes to it separately, the neighbourhood team asks me six short "
        "questions about how connected I feel at our first contact and again later; my answers "
        "count only anonymously in figures about whether the help works, and I may say no each "
        "time. I can withdraw this consent at any time, with the person recording it or with "
        "the neighbourhood team."
    ),
}

ROLE_PERMISSIONS = {
    role: ["outcomes.view_statistics"]
    for role in ("team_coordinator", "privacy_officer", "admin")
}


def seed(apps, schema_editor):
    Instrument = apps.get_model("outcomes", "Instrument")
    instrument, created = Instrument.objects.get_or_create(
        code="djg6",
        version="2006",
        defaults={
            "name_nl": "De Jong Gierveld eenzaamheidsschaal, 6 items",
            "name_en": "De Jong Gierveld loneliness scale, 6 items",
            "source": SOURCE,
        },
    )
    if created:
        Subscale = apps.get_model("outcomes", "Subscale")
        Item = apps.get_model("outcomes", "Item")
        AnswerOption = apps.get_model("outcomes", "AnswerOption")
        ScoreBand = apps.get_model("outcomes", "ScoreBand")
        subscales = {
            code: Subscale.objects.create(
                instrument=instrument, code=code, position=position, label_nl=nl, label_en=en
            )
            for position, (code, nl, en) in enumerate(SUBSCALES)
        }
        for position, (code, subscale, nl, en) in enumerate(ITEMS):
            item = Item.objects.create(
                instrument=instrument, subscale=subscales[subscale], code=code,
                position=position, text_nl=nl, text_en=en,
            )
            for option_position, (option, label_nl, label_en) in enumerate(OPTIONS):
                AnswerOption.objects.create(
                    item=item, code=option, position=option_position, label_nl=label_nl,
                    label_en=label_en, points=POINTS[subscale][option],
                )
        for code, low, high, nl, en in BANDS:
            ScoreBand.objects.create(
                instrument=instrument, code=code, low=low, high=high, label_nl=nl, label_en=en
            )
    ConsentText = apps.get_model("signals", "ConsentText")
    for language, body in CONSENT_TEXTS.items():
        ConsentText.objects.get_or_create(
            version="2026-2", language=language,
            defaults={"body": body, "sha256": hashlib.sha256(body.encode()).hexdigest()},
        )
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
        ("signals", "0008_signal_events_append_only"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
