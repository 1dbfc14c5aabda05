from backend.errors import register

register(
    "referral_already_active",
    409,
    nl="Dit signaal heeft al een lopende doorverwijzing; rond die eerst af.",
    en="This signal already has an active referral; finish that one first.",
)
register(
    "no_active_referral",
    409,
    nl="Dit signaal heeft geen lopende doorverwijzing.",
    en="This signal has no active referral.",
)
register(
    "illegal_referral_step",
    409,
    nl="Deze stap kan niet na '{step}'.",
    en="This step cannot follow '{step}'.",
)
register(
    "initiative_unavailable",
    400,
    nl="Dit initiatief bestaat niet, is niet actief of neemt geen nieuwe deelnemers aan.",
    en="This initiative does not exist, is not active or takes no new participants.",
)
register(
    "initiative_consent_missing",
    403,
    nl="De bewoner heeft geen toestemming gegeven om contactgegevens aan dit initiatief door "
    "te geven.",
    en="The resident has not consented to their contact details going to this initiative.",
)
register(
    "referral_not_open",
    409,
    nl="Doorverwijzen kan alleen bij een signaal dat het team in behandeling heeft "
    "(opgepakt, contact gelegd of in opvolging).",
    en="A referral needs a signal the team is working on (acknowledged, contacted or in "
    "follow-up).",
)
register(
    "follow_up_in_past",
    400,
    nl="De datum voor opvolging ligt in het verleden.",
    en="The follow-up date is in the past.",
)
register(
    "unknown_initiative",
    400,
    nl="De toestemming noemt een initiatief dat niet (meer) in de sociale kaart staat: {ids}.",
    en="The consent names an initiative that is not (or no longer) in the catalogue: {ids}.",
)
