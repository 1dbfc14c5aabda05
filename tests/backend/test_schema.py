"""The OpenAPI schema is the truth (backend.schema, docs/adr/0017): tags and summaries, every
error documented with the one error shape, pages documented as pages, JSON bodies only, strict
inputs closed at every level, and a POST /signals example that works as it stands against the
demo data. The fuzzer (tests/fuzz) checks the answers against the same schema."""

import json
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import URLPattern

from accounts.actors import SYSTEM
from accounts.models import User
from backend.errors import CATALOGUE
from backend.serializers import StrictSerializer
from signals import services
from signals.api.examples import DEMO_CONSENT_TEXT_ID, DEMO_CONSENT_TEXT_SHA256
from signals.api.serializers import SignalCreateInput
from signals.models import ConsentText, Signal
from tests.fixtures import token_client
from tests.security import matrix
from tests.security.matrix import api_patterns

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
# The routes an anonymous caller reaches, as the route matrix names them (ADR 42).
PUBLIC = {matrix.schema_path(route) for _, route in matrix.public_api_rows()}
# Public documents: the same answer for everyone, credentials or not (ADR 43).
PUBLIC |= {matrix.schema_path(route) for route in matrix.PUBLIC_DOCUMENTS}
ERROR = {"$ref": "#/components/schemas/Error"}
PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture
def schema(api_client) -> dict:
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def component(schema: dict, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_every_endpoint_is_in_the_openapi_schema(schema):
    documented = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    endpoints = matrix.api_endpoints()
    assert len(endpoints) >= 10
    for route, method, _ in endpoints:
        assert (matrix.schema_path(route), method) in documented, (route, method)


def test_every_operation_has_one_declared_tag_and_a_summary(schema):
    declared = {tag["name"] for tag in settings.SPECTACULAR_SETTINGS["TAGS"]}
    assert declared == {
        *("auth", "signals", "queue", "initiatives", "devices", "audit", "privacy"),
        *("outcomes", "stats", "api"),
    }
    assert {tag["name"] for tag in schema["tags"]} == declared
    used = set()
    for path, method, operation in operations(schema):
        assert len(operation["tags"]) == 1 and operation["tags"][0] in declared, (path, method)
        used.add(operation["tags"][0])
        summary = operation.get("summary", "")
        assert summary and not summary.endswith(":") and len(summary) < 200, (path, method)
    assert used == declared


def test_every_operation_documents_its_errors_with_the_error_shape(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        errors = {int(code) for code in responses if int(code) >= 400}
        assert 401 in errors, (path, method)
        if path not in PUBLIC:
            assert 403 in errors, (path, method)
        if "{" in path:
            assert 404 in errors, (path, method)
        if "requestBody" in operation:
            assert {400, 413, 415} <= errors, (path, method)
        if "{signalId}" in path:
            assert 423 in errors, (path, method)
        for code in errors:
            assert responses[str(code)]["content"] == {
                "application/json": {"schema": ERROR},
                "application/problem+json": {"schema": PROBLEM},
            }
            assert responses[str(code)]["description"]


def test_throttled_and_conflicting_operations_say_so(schema):
    paths = schema["paths"]
    assert "429" in paths["/auth/login"]["post"]["responses"]
    assert "409" in paths["/signals"]["post"]["responses"]  # client_uuid_conflict
    assert "409" in paths["/signals/{signalId}/transitions"]["post"]["responses"]
    assert "404" in paths["/privacy/requests"]["post"]["responses"]  # unknown_subject


def test_the_error_shape_lists_every_code_of_the_catalogue(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message", "details"]
    assert error["additionalProperties"] is False
    assert schema["components"]["schemas"]["ErrorCode"]["enum"] == sorted(CATALOGUE)


@pytest.mark.parametrize(
    "path",
    [
        "/privacy/requests",
        "/privacy/consent-register",
        "/queue",
        "/audit/break-glass",
        "/audit/access-log",
    ],
)
def test_paged_lists_are_documented_as_pages_with_their_cursor(schema, path):
    operation = schema["paths"][path]["get"]
    page = component(
        schema, operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    assert set(page["properties"]) == {"next", "previous", "results"}
    assert page["properties"]["results"]["type"] == "array"
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"cursor", "page_size"} <= names


def test_every_paginated_view_is_documented_as_a_page(schema):
    patterns: list[tuple[str, URLPattern]] = api_patterns()
    for route, pattern in patterns:
        if getattr(pattern.callback.view_class, "pagination_class", None):
            path = matrix.schema_path(route)
            ref = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
                "schema"
            ]["$ref"]
            assert ref.rsplit("/", 1)[-1].startswith("Paginated"), path


def test_request_bodies_are_json_only(schema):
    bodies = [op["requestBody"] for _, _, op in operations(schema) if "requestBody" in op]
    assert len(bodies) >= 15
    for body in bodies:
        assert set(body["content"]) == {"application/json"}


def test_every_request_body_is_a_closed_strict_input(schema):
    """Every body the API takes is a StrictSerializer (no unknown keys, JSON types kept), the
    ones added after ADR 17 too (e.g. POST /auth/credentials/set)."""
    components = schema["components"]["schemas"]
    for path, method, operation in operations(schema):
        if "requestBody" not in operation:
            continue
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert components[ref.rsplit("/", 1)[-1]].get("additionalProperties") is False, (
            path,
            method,
        )


def _strict_classes() -> list[type]:
    found, todo = [], [StrictSerializer]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_strict_inputs_refuse_additional_properties_at_every_level(schema):
    components = schema["components"]["schemas"]
    strict = {re.sub("Serializer$", "", cls.__name__) + "Request" for cls in _strict_classes()}
    documented = strict & set(components)
    assert len(documented) >= 15
    for name in documented:
        assert components[name]["additionalProperties"] is False, name

    def walk(name: str) -> list[str]:
        seen = [name]
        for prop in components[name]["properties"].values():
            ref = prop.get("$ref") or (prop.get("allOf") or [{}])[0].get("$ref")
            if ref and components[ref.rsplit("/", 1)[-1]].get("type") == "object":
                seen += walk(ref.rsplit("/", 1)[-1])
        return seen

    nested = walk("SignalCreateInputRequest")
    assert {"ResidentInputRequest", "ConsentInputRequest", "PurposesInputRequest"} <= set(nested)
    for name in nested:
        assert components[name]["additionalProperties"] is False, name


def _signal_example(schema: dict) -> dict:
    content = schema["paths"]["/signals"]["post"]["requestBody"]["content"]
    return content["application/json"]["examples"]["DemoSignal"]["value"]


def test_the_signal_example_names_the_seeded_consent_text():
    text = ConsentText.objects.get(version="2026-1", language="nl")
    assert (text.pk, text.sha256) == (DEMO_CONSENT_TEXT_ID, DEMO_CONSENT_TEXT_SHA256)


def test_the_signal_example_succeeds_as_it_stands_against_the_demo_data(schema, api_client):
    call_command("load_demo_data", stdout=StringIO())
    example = _signal_example(schema)
    serializer = SignalCreateInput(data=example)
    assert serializer.is_valid(), serializer.errors

    field_worker = User.objects.get(email="signaleerder@demo.buurtsignaal.nl")
    demo_signals = Signal.objects.filter(created_by=field_worker).count()
    client = token_client(field_worker)
    created = client.post("/api/v1/signals", example, format="json")
    assert created.status_code == 201, created.content
    again = client.post("/api/v1/signals", example, format="json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    signal = services.signal_route(actor=SYSTEM, signal_id=created.json()["id"])
    assert signal.team.name == "Buurtteam Binnenstad"

    # Made fresh each time the schema is generated: a later "Try it out" creates a new signal.
    later = _signal_example(json.loads(api_client.get("/api/schema/", {"format": "json"}).content))
    assert later["client_uuid"] != example["client_uuid"]
    assert client.post("/api/v1/signals", later, format="json").status_code == 201
    assert Signal.objects.filter(created_by=field_worker).count() == demo_signals + 2
