"""Generated from the URL configuration: every API endpoint is in the OpenAPI schema and refuses
anonymous callers, unless it is on the short list of public ones. A new endpoint that forgets
authentication or the schema fails here without anyone writing a test for it."""

import json
import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = {"auth-login", "auth-refresh", "auth-mfa-verify", "auth-credentials-set"}
# Public documents: the same answer for everyone, credentials or not (docs/adr/0043).
DOCUMENTS = {"openapi-json"}
METHODS = ("get", "post", "put", "patch", "delete")


def api_patterns() -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []

    def walk(patterns: list, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.append((prefix + str(entry.pattern), entry))

    walk(get_resolver().url_patterns, "")
    return [(route, p) for route, p in found if route.startswith("api/v1/")]


def concrete(route: str) -> str:
    for converter in (
        "<uuid:signal_id>",
        "<uuid:pk>",
        "<uuid:device_id>",
        "<uuid:subject_id>",
        "<uuid:request_id>",
        "<uuid:membership_request_id>",
        "<uuid:team_id>",
        "<uuid:id>",
    ):
        route = route.replace(converter, str(uuid.uuid4()))
    assert "<" not in route, f"add a sample value for the converter in {route}"
    return "/" + route


def schema_path(route: str) -> str:
    """The path of `route` (`api/v1/signals/<uuid:signal_id>`) in the OpenAPI document: relative
    to its server `/api/v1`, path parameters in camelCase (`/signals/{signalId}`, ADR 43)."""
    path = "/" + route.removeprefix("api/v1/")

    def camel(match: re.Match[str]) -> str:
        head, *rest = match.group(1).split("_")
        return "{" + head + "".join(part.capitalize() for part in rest) + "}"

    return re.sub(r"<uuid:(\w+)>", camel, path)


def endpoint_methods(pattern: URLPattern) -> list[str]:
    view = pattern.callback.view_class
    return [m for m in METHODS if hasattr(view, m)]


ENDPOINTS = [(route, m, p.name) for route, p in api_patterns() for m in endpoint_methods(p)]


def test_there_are_endpoints_to_check():
    assert len(ENDPOINTS) >= 10


@pytest.mark.parametrize(
    ("route", "method", "name"), ENDPOINTS, ids=[f"{m.upper()} {r}" for r, m, _ in ENDPOINTS]
)
def test_anonymous_is_refused_unless_public(api_client, route, method, name):
    response = getattr(api_client, method)(concrete(route), {}, format="json")
    if name in DOCUMENTS:
        assert response.status_code == 200, (route, response.status_code)
    elif name in PUBLIC:
        # Reached without credentials, the empty body is refused as input: a 400 in the error
        # shape, never a 401 and never a 500. Every route and role: tests/security.
        assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    else:
        assert response.status_code == 401, (route, response.status_code)
        assert response.json()["code"] == "not_authenticated"


def test_every_endpoint_is_in_the_openapi_schema(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = json.loads(response.content)["paths"]
    documented = {(path, method) for path, ops in paths.items() for method in ops}
    for route, method, _ in ENDPOINTS:
        path = schema_path(route)
        assert (path, method) in documented, (path, method)
