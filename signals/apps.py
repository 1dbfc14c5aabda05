from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "signals"
    verbose_name = "Signalen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from signals import errors  # noqa: F401  (registers error codes)
