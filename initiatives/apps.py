from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiatieven"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from initiatives import checks, errors, subscribers  # noqa: F401  (codes and checks)

        subscribers.subscribe()
