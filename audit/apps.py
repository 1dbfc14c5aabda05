from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The lowest app layer: the access log, its chain and verifier, the encrypted field. It
    imports no other app (docs/adr/0020, docs/architecture.md)."""

    name = "audit"
    verbose_name = _("Access log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit import checks  # noqa: F401  (registers the encryption-key check)
        from audit.denials import access_denied_record
        from backend.exception_handler import access_denied

        access_denied.subscribe(access_denied_record)
