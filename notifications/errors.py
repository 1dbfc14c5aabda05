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
