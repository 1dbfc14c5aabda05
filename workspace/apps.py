from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The team workspace: server-rendered pages under /werkruimte/ (docs/adr/0027)."""

    name = "workspace"
    verbose_name = "Werkruimte"
    default_auto_field = "django.db.models.BigAutoField"
