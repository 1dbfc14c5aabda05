"""Roles are Django groups created by migration; code checks the permissions they carry,
never the group names (docs/adr/0003-roles-as-groups-code-checks-permissions.md)."""

from django.db import models


class Role(models.TextChoices):
    FIELD_WORKER = "field_worker", "Signaleerder"
    TEAM_MEMBER = "team_member", "Teamlid"
    TEAM_COORDINATOR = "team_coordinator", "Teamcoördinator"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    ADMIN = "admin", "Functioneel beheerder"


# Capabilities: permissions the code checks (user.has_perm, require_capability, has_capability).
# Most are custom permissions declared on accounts.User (see its Meta); break-glass and the
# figures belong to the models of the apps that check them. signals.access and
# accounts.services.users still hold their own copy of BREAK_GLASS and CHANGE_USER (docs/adr/0040).
SUBMIT_SIGNAL = "accounts.submit_signal"
WORK_TEAM_QUEUE = "accounts.work_team_queue"
COORDINATE_TEAM = "accounts.coordinate_team"
VIEW_ACCESS_LOG = "accounts.view_access_log"
HANDLE_PRIVACY_REQUESTS = "accounts.handle_privacy_requests"
MANAGE_CONFIGURATION = "accounts.manage_configuration"
CHANGE_USER = "accounts.change_user"
BREAK_GLASS = "signals.break_glass_signal"
VIEW_STATISTICS = "outcomes.view_statistics"

CAPABILITIES = [
    ("submit_signal", "Can submit signals with a resident's consent"),
    ("work_team_queue", "Can see and work the queue of own teams"),
    ("coordinate_team", "Can assign, forward and receive escalations in own teams"),
    ("view_access_log", "Can read and export the access log"),
    ("handle_privacy_requests", "Can handle data-subject requests and consent records"),
    ("manage_configuration", "Can manage teams, neighbourhoods, routing rules and texts"),
]


def _model_permissions(app_label: str, models: list[str], actions: tuple[str, ...]) -> list[str]:
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


_ALL = ("add", "change", "delete", "view")
_NO_DELETE = ("add", "change", "view")
_CONFIG_MODELS = [
    "organisation",
    "team",
    "teammembership",
    "neighbourhood",
    "mappingversion",
    "addresspoint",
    "teamcoverage",
]
_SIGNAL_CONFIG_MODELS = ["reasoncode", "consenttext", "routingrule", "deadlinepolicy"]

# Every grant of every role, complete: the one declaration (docs/adr/0040). The database follows
# it through accounts.migration_helpers.sync_role_permissions, called by a data migration with a
# frozen copy each time this changes; tests/accounts/test_roles.py fails until one does.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.FIELD_WORKER: [SUBMIT_SIGNAL],
    Role.TEAM_MEMBER: [WORK_TEAM_QUEUE, BREAK_GLASS],
    Role.TEAM_COORDINATOR: [WORK_TEAM_QUEUE, COORDINATE_TEAM, BREAK_GLASS, VIEW_STATISTICS],
    Role.PRIVACY_OFFICER: [
        VIEW_ACCESS_LOG,
        HANDLE_PRIVACY_REQUESTS,
        VIEW_STATISTICS,
        "privacy.view_retentionpolicy",
        "privacy.view_subjectrequest",
    ],
    Role.ADMIN: [
        MANAGE_CONFIGURATION,
        VIEW_STATISTICS,
        *_model_permissions("accounts", _CONFIG_MODELS, _ALL),
        "accounts.view_user",
        "accounts.add_user",
        CHANGE_USER,
        "accounts.view_membershiprequest",  # decided through the services (docs/adr/0034)
        *_model_permissions("signals", _SIGNAL_CONFIG_MODELS, _NO_DELETE),
        *_model_permissions("initiatives", ["initiative"], _ALL),
        "privacy.view_retentionpolicy",
        "privacy.change_retentionpolicy",
    ],
}
