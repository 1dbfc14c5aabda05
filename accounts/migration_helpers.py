"""Used by data migrations of several apps to give role groups their permissions."""

from typing import Any

from django.contrib.auth.management import create_permissions


def grant_role_permissions(apps: Any, role_permissions: dict[str, list[str]]) -> None:
    """Adds `app_label.codename` permissions to the role groups, creating the groups if needed.

    Permissions are normally created after migrations (post_migrate); a data migration that
    needs them creates them first, from the historical models."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, permissions in role_permissions.items():
        group, _ = group_model.objects.get_or_create(name=role)
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
