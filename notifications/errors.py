from backend.errors import register

register(
    "device_not_found",
    404,
    nl="Dit apparaat is niet gevonden.",
    en="This device was not found.",
)
register(
    "device_address_required",
    400,
    nl="Geef een registratietoken of een installatie-id van het apparaat op.",
    en="Give the device's registration token or installation id.",
)
register(
    "unknown_timezone",
    400,
    nl="Deze tijdzone bestaat niet; gebruik een naam als Europe/Amsterdam.",
    en="This time zone does not exist; use a name like Europe/Amsterdam.",
)
