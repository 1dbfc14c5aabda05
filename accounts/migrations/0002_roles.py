"""Creates the role groups and gives each its permissions. Later migrations of other apps add
the permissions of their own models to these groups."""

from django.db import migrations

from accounts.migration_helpers import grant_role_permissions

# Frozen copy of accounts.roles.ROLE_PERMISSIONS at the time of this migration.
ROLE_PERMISSIONS = {'admin': ['accounts.manage_configuration', 'accounts.add_organisation',
           'accounts.change_organisation', 'accounts.delete_organisation',
           'accounts.view_organisation', 'accounts.add_team', 'accounts.change_team',
           'accounts.delete_team', 'accounts.view_team', 'accounts.add_teammembership',
           'accounts.change_teammembership', 'accounts.delete_teammembership',
           'accounts.view_teammembership', 'accounts.add_neighbourhood',
           'accounts.change_neighbourhood', 'accounts.delete_neighbourhood',
           'accounts.view_neighbourhood', 'accounts.add_mappingversion',
           'accounts.change_mappingversion', 'accounts.delete_mappingversion',
           'accounts.view_mappingversion', 'accounts.add_addresspoint',
           'accounts.change_addresspoint', 'accounts.delete_addresspoint',
           'accounts.view_addresspoint', 'accounts.add_teamcoverage',
           'accounts.change_teamcoverage', 'accounts.delete_teamcoverage',
           'accounts.view_teamcoverage', 'accounts.view_user', 'accounts.add_user',
           'accounts.change_user'],
 'field_worker': ['accounts.submit_signal'],
 'privacy_officer': ['accounts.view_access_log', 'accounts.handle_privacy_requests'],
 'team_coordinator': ['accounts.work_team_queue', 'accounts.coordinate_team'],
 'team_member': ['accounts.work_team_queue']}


def create_roles(apps, schema_editor):  # noqa: ANN001
    grant_role_permissions(apps, ROLE_PERMISSIONS)


def remove_roles(apps, schema_editor):  # noqa: ANN001
    apps.get_model("auth", "Group").objects.filter(
        name__in=[str(r) for r in ROLE_PERMISSIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
