from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Uitkomsten en cijfers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from outcomes import errors, subscribers  # noqa: F401  (registers error codes)

        subscribers.subscribe()
