"""Used by data migrations of several apps to give role groups their permissions. The grants are
declared once, in accounts.roles.ROLE_PERMISSIONS (docs/adr/0040); a migration passes a frozen
copy of that declaration, as it stood when the migration was written."""

from typing import Any

from django.contrib.auth.management import create_permissions


def _create_all_permissions(apps: Any) -> None:
    """Permissions are normally created after migrations (post_migrate); a data migration that
    needs them creates them first, from the historical models."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permission(apps: Any, dotted: str) -> Any:
    app_label, codename = dotted.split(".")
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, codename=codename
    )


def grant_role_permissions(apps: Any, role_permissions: dict[str, list[str]]) -> None:
    """Adds `app_label.codename` permissions to the role groups, creating the groups if needed.
    Kept for the migrations that already ran; new migrations call sync_role_permissions."""
    _create_all_permissions(apps)
    group_model = apps.get_model("auth", "Group")
    for role, permissions in role_permissions.items():
        group, _ = group_model.objects.get_or_create(name=role)
        for dotted in permissions:
            group.permissions.add(_permission(apps, dotted))


def sync_role_permissions(apps: Any, role_permissions: dict[str, list[str]]) -> None:
    """Makes each role group hold exactly the declared permissions: adds the missing ones and
    removes any other, creating the groups if needed. Groups not named are left alone. A
    declared permission that does not exist raises Permission.DoesNotExist, so a typo stops
    the migration instead of granting nothing."""
    _create_all_permissions(apps)
    group_model = apps.get_model("auth", "Group")
    for role, permissions in role_permissions.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set([_permission(apps, dotted) for dotted in permissions])
