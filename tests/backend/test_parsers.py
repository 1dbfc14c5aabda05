"""The one request parser (backend.parsers, docs/adr/0017): JSON only, nesting and size capped,
so hostile bodies get a stable 400/413/415 before any login instead of a 500."""

import json

import pytest
from django.conf import settings
from django.urls import URLPattern

from backend.parsers import MAX_DEPTH, JSONParser, nesting_depth_exceeds
from tests.factories import UserFactory
from tests.fixtures import token_client
from tests.security.matrix import api_patterns
from tests.signals.factories import intake_payload

pytestmark = pytest.mark.django_db

PUBLIC_JSON_ENDPOINTS = ["/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/mfa/verify"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("path", PUBLIC_JSON_ENDPOINTS)
def test_json_nested_ten_thousand_deep_before_login_is_a_400_not_a_recursion_error(
    api_client, path
):
    response = api_client.post(path, nested(10_000), content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "json_too_deep",
        "message": f"De JSON in het verzoek is te diep genest (hoogstens {MAX_DEPTH} niveaus).",
        "details": {},
    }


def test_json_nested_deeper_than_the_limit_inside_an_object_is_refused_in_english(api_client):
    body = '{"email": ' + '{"a": ' * 70 + "1" + "}" * 70 + ', "password": "x"}'
    response = api_client.post(
        "/api/v1/auth/login", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"
    assert response.json()["message"].startswith("The request's JSON is nested too deeply")


def test_deep_json_from_a_logged_in_field_worker_is_refused_and_creates_nothing():
    from signals.models import Signal

    client = token_client(UserFactory(field_worker=True))
    payload = intake_payload(observation=json.loads(nested(MAX_DEPTH)))
    response = client.post("/api/v1/signals", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"
    assert not Signal.objects.exists()


def test_nesting_at_the_limit_is_parsed():
    assert not nesting_depth_exceeds(json.loads(nested(MAX_DEPTH)), MAX_DEPTH)
    assert nesting_depth_exceeds(json.loads(nested(MAX_DEPTH + 1)), MAX_DEPTH)
    assert not nesting_depth_exceeds({"a": [1, {"b": "c"}], "d": 2}, 3)
    assert nesting_depth_exceeds({"a": [1, {"b": []}]}, 3)


def test_a_body_over_the_upload_limit_is_a_413(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"email": "a@example.test", "password": "x" * 2000})
    response = api_client.post("/api/v1/auth/login", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_json_constants_are_malformed(api_client, constant):
    body = '{"email": "a@example.test", "password": ' + constant + "}"
    response = api_client.post("/api/v1/auth/login", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


@pytest.mark.parametrize("format_", ["multipart", "urlencoded"])
def test_form_and_multipart_bodies_are_415(api_client, format_):
    data = {"email": "a@example.test", "password": "whatever-123"}
    if format_ == "multipart":
        response = api_client.post("/api/v1/auth/login", data, format="multipart")
    else:
        response = api_client.post(
            "/api/v1/auth/login",
            "email=a%40example.test&password=x",
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_every_api_view_parses_with_the_project_json_parser_only():
    """Generated from the URL configuration: no view may bring its own parsers back."""
    assert settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] == ["backend.parsers.JSONParser"]
    patterns: list[URLPattern] = [pattern for _, pattern in api_patterns()]
    assert patterns
    for pattern in patterns:
        view = pattern.callback.view_class
        assert view.parser_classes == [JSONParser], view
