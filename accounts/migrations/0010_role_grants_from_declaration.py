"""Brings every role group to exactly the grants declared in accounts.roles.ROLE_PERMISSIONS
(docs/adr/0040): the six earlier data migrations only ever added, so a grant removed from the
code stayed in the database. To change a grant, edit the declaration and add a migration like
this one with a fresh frozen copy; tests/accounts/test_roles.py fails until the database
matches."""

from django.db import migrations

from accounts.migration_helpers import sync_role_permissions

# Frozen copy of accounts.roles.ROLE_PERMISSIONS at the time of this migration.
ROLE_PERMISSIONS = {'admin': ['accounts.add_addresspoint',
           'accounts.add_mappingversion',
           'accounts.add_neighbourhood',
           'accounts.add_organisation',
           'accounts.add_team',
           'accounts.add_teamcoverage',
           'accounts.add_teammembership',
           'accounts.add_user',
           'accounts.change_addresspoint',
           'accounts.change_mappingversion',
           'accounts.change_neighbourhood',
           'accounts.change_organisation',
           'accounts.change_team',
           'accounts.change_teamcoverage',
           'accounts.change_teammembership',
           'accounts.change_user',
           'accounts.delete_addresspoint',
           'accounts.delete_mappingversion',
           'accounts.delete_neighbourhood',
           'accounts.delete_organisation',
           'accounts.delete_team',
           'accounts.delete_teamcoverage',
           'accounts.delete_teammembership',
           'accounts.manage_configuration',
           'accounts.view_addresspoint',
           'accounts.view_mappingversion',
           'accounts.view_membershiprequest',
           'accounts.view_neighbourhood',
           'accounts.view_organisation',
           'accounts.view_team',
           'accounts.view_teamcoverage',
           'accounts.view_teammembership',
           'accounts.view_user',
           'initiatives.add_initiative',
           'initiatives.change_initiative',
           'initiatives.delete_initiative',
           'initiatives.view_initiative',
           'outcomes.view_statistics',
           'privacy.change_retentionpolicy',
           'privacy.view_retentionpolicy',
           'signals.add_consenttext',
           'signals.add_deadlinepolicy',
           'signals.add_reasoncode',
           'signals.add_routingrule',
           'signals.change_consenttext',
           'signals.change_deadlinepolicy',
           'signals.change_reasoncode',
           'signals.change_routingrule',
           'signals.view_consenttext',
           'signals.view_deadlinepolicy',
           'signals.view_reasoncode',
           'signals.view_routingrule'],
 'field_worker': ['accounts.submit_signal'],
 'privacy_officer': ['accounts.handle_privacy_requests',
                     'accounts.view_access_log',
                     'outcomes.view_statistics',
                     'privacy.view_retentionpolicy',
                     'privacy.view_subjectrequest'],
 'team_coordinator': ['accounts.coordinate_team',
                      'accounts.work_team_queue',
                      'outcomes.view_statistics',
                      'signals.break_glass_signal'],
 'team_member': ['accounts.work_team_queue', 'signals.break_glass_signal']}


def sync(apps, schema_editor):  # noqa: ANN001
    sync_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_credential_epoch_on_activation"),
        ("signals", "0012_consent_text_purposes"),
        ("initiatives", "0005_consent_recipients_by_identity"),
        ("outcomes", "0004_figure_release"),
        ("privacy", "0008_model_names"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
