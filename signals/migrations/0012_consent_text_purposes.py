"""A consent text declares the purposes it covers; new texts 2026-3 that say what happens for
each purpose; recipients that matched no catalogue entry get a place of their own
(docs/adr/0032).

Texts in use before: 2026-1 says the details are for contact by the buurtteam only, so it
declares team_contact alone. 2026-2 (outcomes migration 0002) also declares measure_outcome:
the outcomes migration 0003 records that. Any other text an admin added was used for intake,
which always required team contact: it declares team_contact."""

import hashlib

from django.db import migrations, models

TEAM_CONTACT = "team_contact"
ALL_PURPOSES = ["team_contact", "share_with_initiative", "measure_outcome"]

CONSENT_TEXTS = {
    "nl": (
        "Toestemming voor Buurtsignaal (versie 2026-3)\n"
        "\n"
        "1. Contact met het buurtteam. Ik vind het goed dat mijn voornaam, mijn adres, mijn "
        "telefoonnummer en e-mailadres en wat de melder over mij opschrijft naar het buurtteam "
        "van mijn buurt gaan. Iemand van dat team neemt contact met mij op om samen te kijken "
        "wat mij kan helpen om meer mensen te zien en te spreken.\n"
        "\n"
        "2. Mijn gegevens doorgeven aan een initiatief (alleen als ik hier apart ja op zeg). "
        "Het buurtteam mag mijn voornaam, telefoonnummer en e-mailadres doorgeven aan de "
        "initiatieven die ik hieronder noem, zodat zo'n initiatief mij kan bellen of mailen. "
        "Zeg ik \"elk initiatief\", dan mag het buurtteam samen met mij een initiatief kiezen "
        "en mijn gegevens daaraan doorgeven. Mijn adres en wat de melder over mij schreef gaan "
        "niet mee. Dit mag alleen omdat ik er toestemming voor geef (AVG artikel 6 lid 1 "
        "onder a).\n"
        "\n"
        "3. Zes vragen over hoe verbonden ik mij voel (alleen als ik hier apart ja op zeg). "
        "Het buurtteam stelt mij bij het eerste contact en een paar maanden later zes korte "
        "vragen, zoals \"Ik mis mensen om me heen\" en \"Er zijn genoeg mensen op wie ik kan "
        "terugvallen\". Ik antwoord met ja, min of meer of nee. Mijn antwoorden worden "
        "versleuteld bij mijn signaal bewaard. Het buurtteam gebruikt ze om te zien of de hulp "
        "bij mij werkt, en ze tellen zonder mijn naam mee in cijfers over of de hulp werkt. Ik "
        "mag elke keer nee zeggen of een vraag overslaan. Omdat de antwoorden iets zeggen over "
        "hoe het met mij gaat, mag dit alleen met mijn uitdrukkelijke toestemming (AVG artikel "
        "6 lid 1 onder a en artikel 9 lid 2 onder a).\n"
        "\n"
        "4. Cijfers zonder namen. De gemeente en de buurtteams zien alleen cijfers zonder "
        "namen, bijvoorbeeld hoeveel signalen er in een wijk waren en hoe vaak iemand verbonden "
        "raakte. De cijfers worden zo gemaakt dat niemand erin te herkennen is.\n"
        "\n"
        "Ik kan mijn toestemming altijd intrekken, bij degene die dit noteert of bij het "
        "buurtteam. Dan stopt het contact, gaan mijn gegevens niet meer naar een initiatief, "
        "worden er geen vragen meer gesteld en worden mijn naam, adres en contactgegevens "
        "gewist. Het buurtteam kan mij zeggen welk initiatief mijn gegevens al heeft gekregen."
    ),
    "en": (
        "Consent for Buurtsignaal (version 2026-3)\n"
        "\n"
        "1. Contact with the neighbourhood team. I agree that my first name, my address, my "
        "phone number and e-mail address and what the person recording this writes about me go "
        "to the neighbourhood team (buurtteam) for my area. Someone from that team contacts me "
        "to look together at what could help me see and talk to more people.\n"
        "\n"
        "2. Passing my details to an initiative (only if I say yes to this separately). The "
        "neighbourhood team may pass my first name, phone number and e-mail address to the "
        "initiatives I name below, so that such an initiative can call or e-mail me. If I say "
        "\"any initiative\", the neighbourhood team may choose an initiative together with me "
        "and pass my details to it. My address and what was written about me do not go with "
        "them. This is allowed only because I consent to it (GDPR Article 6(1)(a)).\n"
        "\n"
        "3. Six questions about how connected I feel (only if I say yes to this separately). "
        "At our first contact and again a few months later, the neighbourhood team asks me six "
        "short questions, such as \"I miss having people around me\" and \"There are plenty of "
        "people I can rely on when I have problems\". I answer yes, more or less, or no. My "
        "answers are stored encrypted with my signal. The neighbourhood team uses them to see "
        "whether the help works for me, and they count, without my name, in figures about "
        "whether the help works. I may say no or skip a question each time. Because the "
        "answers say something about how I am doing, this is allowed only with my explicit "
        "consent (GDPR Article 6(1)(a) and Article 9(2)(a)).\n"
        "\n"
        "4. Figures without names. The municipality and the neighbourhood teams see only "
        "figures without names, for example how many signals there were in a district and how "
        "often someone got connected. The figures are made so that no one can be recognised "
        "in them.\n"
        "\n"
        "I can withdraw my consent at any time, with the person recording it or with the "
        "neighbourhood team. Then the contact stops, my details no longer go to any "
        "initiative, no more questions are asked, and my name, address and contact details are "
        "erased. The neighbourhood team can tell me which initiative already received my "
        "details."
    ),
}


def declare(apps, schema_editor):
    ConsentText = apps.get_model("signals", "ConsentText")
    ConsentText.objects.filter(purposes=[]).update(purposes=[TEAM_CONTACT])
    for language, body in CONSENT_TEXTS.items():
        ConsentText.objects.get_or_create(
            version="2026-3",
            language=language,
            defaults={
                "body": body,
                "sha256": hashlib.sha256(body.encode()).hexdigest(),
                "purposes": ALL_PURPOSES,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0011_model_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="unresolved_recipients",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="consenttext",
            name="purposes",
            field=models.JSONField(
                default=list, help_text="the consent purposes this text says what happens for"
            ),
        ),
        migrations.AlterField(
            model_name="consent",
            name="recipients",
            field=models.JSONField(default=list, help_text="recipients the consent covers"),
        ),
        migrations.RunPython(declare, migrations.RunPython.noop),
    ]
