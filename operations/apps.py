from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What operations sees of the running system: the Prometheus metrics (docs/adr/0045).
    The top layer: it reads the other apps' selectors and no app reads it."""

    name = "operations"
    verbose_name = _("Operations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations import errors  # noqa: F401 (registers the error codes)
