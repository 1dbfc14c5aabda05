from backend.errors import register

register(
    "consent_required",
    400,
    nl="Een signaal kan alleen worden ingediend met toestemming van de bewoner voor "
    "contact door het buurtteam.",
    en="A signal can only be submitted with the resident's consent to be contacted by the "
    "neighbourhood team.",
)
register(
    "unknown_consent_text",
    400,
    nl="Deze toestemmingstekst bestaat niet of is niet meer in gebruik.",
    en="This consent text does not exist or is no longer in use.",
)
register(
    "consent_text_mismatch",
    400,
    nl="De getoonde toestemmingstekst komt niet overeen met de vastgelegde versie.",
    en="The consent text shown does not match the recorded version.",
)
register(
    "purpose_not_in_consent_text",
    400,
    nl="Toestemmingstekst {version} zegt niets over dit doel: {purposes}. Gebruik een tekst die "
    "het wel uitlegt, of vraag er geen toestemming voor.",
    en="Consent text {version} says nothing about this purpose: {purposes}. Use a text that "
    "explains it, or do not ask consent for it.",
)
register(
    "unknown_reason_code", 400, nl="Onbekende reden: {codes}.", en="Unknown reason code: {codes}."
)
register(
    "client_uuid_conflict",
    409,
    nl="Dit client_uuid is al gebruikt voor een ander signaal.",
    en="This client_uuid was already used for a different signal.",
)
register(
    "illegal_transition",
    409,
    nl="Deze statuswijziging is niet toegestaan vanuit '{status}'.",
    en="This status change is not allowed from '{status}'.",
)
register(
    "version_conflict",
    409,
    nl="Het signaal is intussen gewijzigd; laad het opnieuw.",
    en="The signal was changed in the meantime; reload it.",
)
register(
    "outcome_required",
    400,
    nl="Kies een uitkomst om af te sluiten.",
    en="Choose an outcome to close the signal.",
)
register("reason_required", 400, nl="Geef een reden op.", en="Give a reason.")
register(
    "not_a_team_member",
    400,
    nl="Deze persoon is geen lid van het team van dit signaal.",
    en="This person is not a member of the signal's team.",
)
register(
    "coordinator_required",
    403,
    nl="Alleen een coördinator van het team kan dit doen.",
    en="Only a coordinator of the team can do this.",
)
register(
    "invalid_forward_target",
    400,
    nl="Kies een ander, actief team om naar door te sturen.",
    en="Choose another, active team to forward to.",
)
register(
    "already_withdrawn",
    409,
    nl="De toestemming is al ingetrokken.",
    en="Consent has already been withdrawn.",
)
register(
    "unknown_note",
    400,
    nl="De notitie die je wilt corrigeren bestaat niet bij dit signaal.",
    en="The note you want to correct does not belong to this signal.",
)
register(
    "processing_restricted",
    423,
    nl="De verwerking van dit signaal is beperkt op verzoek van de bewoner.",
    en="Processing of this signal is restricted at the resident's request.",
)
register(
    "break_glass_read_only",
    403,
    nl="Via break-glass kun je dit signaal alleen inzien; het team van het signaal werkt het af.",
    en="Break-glass access lets you read this signal only; its team handles it.",
)
register(
    "break_glass_not_needed",
    409,
    nl="Je hebt al toegang tot dit signaal via je team; break-glass is niet nodig.",
    en="You already have access to this signal through your team; break-glass is not needed.",
)
register(
    "signal_erased",
    409,
    nl="De toestemming is ingetrokken of de gegevens zijn gewist; er kan niets meer worden "
    "toegevoegd.",
    en="Consent was withdrawn or the data erased; nothing more can be added.",
)
register(
    "connected_needs_referral",
    409,
    nl="Afsluiten als 'verbonden met een initiatief' kan pas als een doorverwijzing de eerste "
    "ontmoeting heeft bereikt.",
    en="Closing as 'connected to an initiative' needs a referral that reached a first meeting.",
)
