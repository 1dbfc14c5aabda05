from django.utils.translation import pgettext_lazy

from backend.errors import register

register("device_not_found", 404, pgettext_lazy("error", "This device was not found."))
register(
    "device_address_required",
    400,
    pgettext_lazy("error", "Give the device's registration token or installation id."),
)
register(
    "unknown_timezone",
    400,
    pgettext_lazy("error", "This time zone does not exist; use a name like Europe/Amsterdam."),
)
