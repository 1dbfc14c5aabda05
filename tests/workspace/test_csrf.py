"""Every workspace route refuses a POST without a CSRF token, signed in or not, and changes
nothing: a view marked `@csrf_exempt` fails here (issue 19, item 7: no test posted with CSRF
enforced). The routes are read from the URL conf, so a new page is covered when it is added."""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from audit.models import AccessLog
from signals.models import SignalEvent
from tests.workspace.helpers import two_teams, workspace_login
from workspace import urls as workspace_urls

pytestmark = pytest.mark.django_db


def workspace_routes(signal_id) -> list[str]:
    """The path of every workspace route, with the signal's id where a route takes one."""
    paths = []
    for pattern in workspace_urls.urlpatterns:
        assert isinstance(pattern, URLPattern), pattern  # no include(): nothing left unread
        converters = pattern.pattern.converters
        # A real signal where a route takes one; any well-formed id elsewhere (the CSRF check
        # runs before the view looks the object up).
        kwargs = {name: signal_id if name == "signal_id" else uuid.uuid4() for name in converters}
        assert all(
            type(converter).__name__ == "UUIDConverter" for converter in converters.values()
        ), f"a new kind of route parameter: {pattern.pattern}"
        paths.append(reverse(f"workspace:{pattern.name}", kwargs=kwargs))
    return paths


def enforcing_client_of(client: Client) -> Client:
    enforcing = Client(enforce_csrf_checks=True)
    enforcing.cookies = client.cookies
    return enforcing


def written() -> tuple[int, int]:
    return AccessLog.objects.count(), SignalEvent.objects.count()


def test_a_signed_in_post_without_a_token_is_refused_on_every_route():
    world = two_teams()
    signed_in = workspace_login(Client(), world.coordinator)
    enforcing = enforcing_client_of(signed_in)
    routes = workspace_routes(world.signal.pk)
    assert len(routes) >= 20
    before = written()
    accepted = [path for path in routes if enforcing.post(path, {"note": "x"}).status_code != 403]
    assert accepted == []
    assert written() == before


def test_an_anonymous_post_without_a_token_is_refused_on_every_route():
    world = two_teams()
    enforcing = Client(enforce_csrf_checks=True)
    before = written()
    accepted = [
        path
        for path in workspace_routes(world.signal.pk)
        if enforcing.post(path, {"email": world.member.email}).status_code != 403
    ]
    assert accepted == []
    assert written() == before


def test_the_same_post_with_its_token_goes_through():
    """The control: the refusals above are the CSRF check, not a refusal of the post itself."""
    world = two_teams()
    enforcing = enforcing_client_of(workspace_login(Client(), world.member))
    page = f"/werkruimte/signalen/{world.signal.pk}/"
    assert enforcing.get(page).status_code == 200  # sets the CSRF cookie
    token = enforcing.cookies["csrftoken"].value
    response = enforcing.post(
        page + "notities/", {"body": "Gebeld, niemand thuis.", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
