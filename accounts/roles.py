"""Roles are Django groups created by migration; code checks the permissions they carry,
never the group names (docs/adr/0003-roles-as-groups-code-checks-permissions.md)."""

from django.db import models


class Role(models.TextChoices):
    FIELD_WORKER = "field_worker", "Signaleerder"
    TEAM_MEMBER = "team_member", "Teamlid"
    TEAM_COORDINATOR = "team_coordinator", "Teamcoördinator"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    ADMIN = "admin", "Functioneel beheerder"


# Capabilities: custom permissions declared on accounts.User (see its Meta).
SUBMIT_SIGNAL = "accounts.submit_signal"
WORK_TEAM_QUEUE = "accounts.work_team_queue"
COORDINATE_TEAM = "accounts.coordinate_team"
VIEW_ACCESS_LOG = "accounts.view_access_log"
HANDLE_PRIVACY_REQUESTS = "accounts.handle_privacy_requests"
MANAGE_CONFIGURATION = "accounts.manage_configuration"

CAPABILITIES = [
    ("submit_signal", "Can submit signals with a resident's consent"),
    ("work_team_queue", "Can see and work the queue of own teams"),
    ("coordinate_team", "Can assign, forward and receive escalations in own teams"),
    ("view_access_log", "Can read and export the access log"),
    ("handle_privacy_requests", "Can handle data-subject requests and consent records"),
    ("manage_configuration", "Can manage teams, neighbourhoods, routing rules and texts"),
]

_CONFIG_MODELS = [
    "organisation",
    "team",
    "teammembership",
    "neighbourhood",
    "mappingversion",
    "addresspoint",
    "teamcoverage",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.FIELD_WORKER: [SUBMIT_SIGNAL],
    Role.TEAM_MEMBER: [WORK_TEAM_QUEUE],
    Role.TEAM_COORDINATOR: [WORK_TEAM_QUEUE, COORDINATE_TEAM],
    Role.PRIVACY_OFFICER: [VIEW_ACCESS_LOG, HANDLE_PRIVACY_REQUESTS],
    Role.ADMIN: [MANAGE_CONFIGURATION]
    + [
        f"accounts.{action}_{model}"
        for model in _CONFIG_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    + ["accounts.view_user", "accounts.add_user", "accounts.change_user"]
    + ["accounts.view_membershiprequest"],  # decided through the services (docs/adr/0034)
}
