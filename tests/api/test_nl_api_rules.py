"""The NL API Design Rules (docs/adr/0043): the API-Version header on every answer under /api/,
the version declared once, /api/v1/openapi.json, the document's servers, headers, camelCase path
parameters and examples, and RFC 9457 problem details for a client that asks for them while
every other client keeps the error shape it knows. `test_the_linter_finds_no_errors` runs the
Logius ruleset itself (as `make api-lint` does) when Spectral is installed."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from backend.api_version import API_VERSION
from tests.factories import UserFactory
from tests.fixtures import token_client

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
SPECTRAL = ROOT / "tests" / "api" / "node_modules" / ".bin" / "spectral"
PROBLEM = "application/problem+json"


@pytest.fixture
def document(api_client) -> dict:
    response = api_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


# --- the version -------------------------------------------------------------------------------


def test_the_version_is_semantic_and_declared_once():
    assert re.fullmatch(r"\d+\.\d+\.\d+", API_VERSION)
    assert settings.SPECTACULAR_SETTINGS["VERSION"] == API_VERSION
    changelog = (ROOT / "docs" / "api-changelog.md").read_text()
    assert f"## {API_VERSION} " in changelog, "every version has its changelog section"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/my/signals", 401),  # refused by DRF
        ("get", "/api/v1/no-such-thing", 404),  # the resolver, rewritten by ApiErrorMiddleware
        ("post", "/api/v1/auth/login", 400),  # invalid input
        ("get", "/api/schema/", 200),
        ("get", "/api/v1/openapi.json", 200),
    ],
)
def test_every_api_answer_carries_the_full_version(api_client, method, path, status):
    response = getattr(api_client, method)(path, {}, format="json")
    assert response.status_code == status
    assert response["API-Version"] == API_VERSION


def test_a_successful_call_carries_it_too_and_pages_outside_the_api_do_not():
    response = token_client(UserFactory(field_worker=True)).get("/api/v1/my/signals")
    assert response.status_code == 200 and response["API-Version"] == API_VERSION
    assert "API-Version" not in Client().get("/healthz")


# --- the document ------------------------------------------------------------------------------


def test_openapi_json_is_the_public_document_for_any_origin(api_client, document):
    response = api_client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert document["openapi"].startswith("3.0.")
    assert document["info"]["version"] == API_VERSION
    assert document["servers"][0]["url"] == "/api/v1"
    assert "/openapi.json" in document["paths"] and "/signals" in document["paths"]
    assert not [path for path in document["paths"] if path.startswith("/api/")]
    schema = json.loads(api_client.get("/api/schema/", {"format": "json"}).content)
    assert set(schema["paths"]) == set(document["paths"])  # the same document as before


def test_every_response_documents_the_version_header(document):
    assert document["components"]["headers"]["API-Version"]["required"] is True
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                header = response.get("headers", {}).get("API-Version")
                assert header == {"$ref": "#/components/headers/API-Version"}, (
                    path,
                    method,
                    status,
                )
    cors = document["paths"]["/openapi.json"]["get"]["responses"]["200"]["headers"]
    assert "access-control-allow-origin" in cors


def test_path_parameters_are_camel_case_in_the_document(document):
    names = set()
    for path, item in document["paths"].items():
        in_path = set(re.findall(r"\{(\w+)\}", path))
        for operation in item.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == in_path, path
        names |= in_path
    assert {"signalId", "subjectId", "deviceId"} <= names
    assert not [name for name in names if "_" in name]


def test_examples_and_defaults_keep_to_their_own_schemas(document):
    """What the linter found: a blank address addition matched both branches of a oneOf, device
    fields defaulted to "" under minLength 1, a null handover was never null in OpenAPI 3.0,
    and drf-spectacular's page link example was no URI."""
    schemas = document["components"]["schemas"]
    addition = schemas["AddressInputRequest"]["properties"]["addition"]
    assert "oneOf" not in addition and re.search(addition["pattern"], "")
    device = schemas["DeviceRegisterInputRequest"]["properties"]
    assert not [name for name, field in device.items() if field.get("default") == ""]
    handover = schemas["ReferralStepOutput"]["properties"]["handover"]
    assert "nullable" not in handover and len(handover["anyOf"]) == 2
    page = schemas["PaginatedQueueItemOutputList"]["properties"]
    assert page["next"]["example"].startswith("https://") and '"' not in page["next"]["example"]


def test_the_linter_finds_no_errors(tmp_path):
    if not SPECTRAL.exists():
        if os.environ.get("CI"):
            pytest.fail("Spectral is missing: npm ci --prefix tests/api (make api-lint)")
        pytest.skip("Spectral is not installed: make api-lint (npm ci --prefix tests/api)")
    run = subprocess.run(
        [sys.executable, "scripts/api-lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "backend.settings.test"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 errors" in run.stdout


# --- problem details ---------------------------------------------------------------------------


def test_without_asking_errors_keep_the_shape_clients_know(api_client):
    for accept in (None, "*/*", "application/json", "application/*"):
        headers = {"HTTP_ACCEPT": accept} if accept else {}
        response = api_client.get("/api/v1/my/signals", **headers)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"code", "message", "details"}


def test_a_client_that_names_problem_json_gets_problem_details_with_our_members(
    api_client, document
):
    response = api_client.get(
        "/api/v1/my/signals",
        HTTP_ACCEPT=f"application/json, {PROBLEM}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["API-Version"] == API_VERSION
    assert "WWW-Authenticate" in response  # headers kept
    body = json.loads(response.content)
    assert body["type"] == "about:blank"
    assert (body["title"], body["status"]) == ("Unauthorized", 401)
    assert body["code"] == "not_authenticated" and body["detail"] == body["message"]
    assert body["details"] == {}
    _keeps_to_problem(body, document)


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/no-such-thing", 404, "not_found"),  # made by the middleware
        ("post", "/api/v1/auth/login", 400, "validation_error"),  # DRF, with field details
    ],
)
def test_problem_details_for_every_kind_of_error(api_client, document, method, path, status, code):
    accept = f"application/json, {PROBLEM}"
    response = getattr(api_client, method)(path, {}, format="json", HTTP_ACCEPT=accept)
    assert response.status_code == status and response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert (body["code"], body["status"]) == (code, status)
    if code == "validation_error":
        assert "fields" in body["details"]
    _keeps_to_problem(body, document)


def test_problem_json_less_preferred_than_json_keeps_json(api_client):
    response = api_client.get(
        "/api/v1/my/signals", HTTP_ACCEPT=f"{PROBLEM};q=0.5, application/json"
    )
    assert response["Content-Type"] == "application/json"


def test_a_success_asked_with_problem_json_too_is_plain_json():
    client = token_client(UserFactory(field_worker=True))
    response = client.get("/api/v1/my/signals", HTTP_ACCEPT=f"application/json, {PROBLEM}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


def test_only_problem_json_accepted_is_a_406_in_problem_details(api_client):
    """An API view answers JSON; a client that accepts nothing else than problem+json is told
    so (406), in the format it asked for. Clients send both (ADR 43)."""
    response = api_client.post("/api/v1/auth/login", {}, format="json", HTTP_ACCEPT=PROBLEM)
    assert response.status_code == 406 and response["Content-Type"] == PROBLEM
    assert json.loads(response.content)["code"] == "not_acceptable"


def _keeps_to_problem(body: dict, document: dict) -> None:
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) <= set(body) <= set(problem["properties"])
    assert body["type"] == problem["properties"]["type"]["example"] == "about:blank"
    assert body["code"] in document["components"]["schemas"]["ErrorCode"]["enum"]
    assert isinstance(body["status"], int) and isinstance(body["details"], dict)
