from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy en toegangslog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from privacy import errors  # noqa: F401  (registers error codes)
