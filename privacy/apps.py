from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy and access log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from privacy import errors  # noqa: F401  (registers error codes)
        from privacy.registers import lawful_bases  # noqa: F401  (check privacy.E001)
