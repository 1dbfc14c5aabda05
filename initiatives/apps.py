from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from initiatives import checks, errors, subscribers  # noqa: F401  (codes and checks)

        subscribers.subscribe()
