from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "signals"
    verbose_name = "Signalen"
    default_auto_field = "django.db.models.BigAutoField"
