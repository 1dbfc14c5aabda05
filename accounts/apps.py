from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts en teams"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import errors, schema  # noqa: F401  (registers codes, schema extension)
