from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "signals"
    verbose_name = _("Signals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from signals import errors  # noqa: F401  (registers error codes)
