"""Issue 19 item 2: the workspace shows the coordinator's controls by the rule the services
refuse by (signals.access.is_coordinator), so a page never offers what the service refuses, nor
the other way round. A deactivated team coordinates nothing (docs/adr/0039)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from backend.errors import message_for
from signals.models import SignalUserObjectPermission, Status
from tests.workspace.helpers import two_teams, workspace_login

pytestmark = pytest.mark.django_db


def forward_form(signal) -> str:
    return f'action="{reverse("workspace:signal-forward", args=[signal.pk])}"'


def test_a_coordinator_of_a_deactivated_team_gets_no_controls_and_the_service_refuses(client):
    world = two_teams()
    signal = world.signal
    # A standing share keeps the signal the coordinator's team work once the team is gone.
    SignalUserObjectPermission.objects.create(
        user=world.coordinator,
        permission=Permission.objects.get(codename="view_signal"),
        content_object=signal,
    )
    workspace_login(client, world.coordinator)
    page = reverse("workspace:signal", args=[signal.pk])
    assert forward_form(signal) in client.get(page).content.decode()  # active: a coordinator
    world.a.is_active = False
    world.a.save(update_fields=["is_active"])
    shown = client.get(page)
    assert shown.status_code == 200
    assert forward_form(signal) not in shown.content.decode()
    refused = client.post(
        reverse("workspace:signal-forward", args=[signal.pk]),
        {"version": signal.version, "team": world.b.pk, "reason": "Woont in Zuid."},
    )
    assert refused.status_code == 403
    assert message_for("coordinator_required", "nl") in refused.content.decode()
    signal.refresh_from_db()
    assert signal.status == Status.ROUTED
