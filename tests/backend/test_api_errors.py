"""Every response under /api/ is JSON in the one error shape (backend.api_errors, ADR 0017):
unknown paths, a trailing slash, a wrong method and an unhandled exception included, with
DEBUG on as in the demo settings too. Outside /api/ Django's own pages stay."""

import logging

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.accounts.helpers import totp_device
from tests.backend.boom_urls import SECRET_IN_LOCALS
from tests.factories import PASSWORD, TeamFactory, UserFactory, member_of
from tests.fixtures import token_client

pytestmark = pytest.mark.django_db

DEBUG = [pytest.param(False, id="production-like"), pytest.param(True, id="debug-as-in-demo")]


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    return body


@pytest.mark.parametrize("debug", DEBUG)
@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing", "/api/v1/me/", "/api/v1/signals/", "/api/", "/api/v2/me"]
)
def test_an_unknown_path_or_trailing_slash_under_api_is_a_json_404(api_client, debug, path):
    with override_settings(DEBUG=debug):
        response = api_client.get(path)
    body = assert_error_shape(response, 404, "not_found")
    assert body["message"] == "Niet gevonden."
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("debug", DEBUG)
@pytest.mark.parametrize("method", ["put", "post", "delete"])
def test_a_write_to_a_path_without_its_slash_is_a_json_404_not_a_500(api_client, debug, method):
    with override_settings(DEBUG=debug):
        response = getattr(api_client, method)("/api/schema", {}, format="json")
    assert_error_shape(response, 404, "not_found")


def test_reading_a_docs_path_without_its_slash_still_redirects(api_client):
    response = api_client.get("/api/schema")
    assert response.status_code == 301
    assert response["Location"] == "/api/schema/"


@pytest.mark.parametrize("debug", DEBUG)
def test_a_wrong_method_is_a_json_405_with_allow(debug):
    client = token_client(UserFactory())
    with override_settings(DEBUG=debug):
        response = client.delete("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error_shape(response, 405, "method_not_allowed")
    assert body["message"] == "This method is not allowed here."
    assert "GET" in response["Allow"]


def test_an_api_error_is_json_even_when_a_browser_asks_for_html(api_client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert_error_shape(api_client.get("/api/v1/me", HTTP_ACCEPT=browser), 401, "not_authenticated")
    assert_error_shape(api_client.get("/api/v1/me", HTTP_ACCEPT="text/html"), 406, "not_acceptable")


def test_an_export_error_is_json_even_when_csv_is_asked_for():
    client = token_client(UserFactory(privacy_officer=True))
    response = client.get(
        "/api/v1/audit/access-log/export", {"subject": "not-a-uuid"}, HTTP_ACCEPT="text/csv"
    )
    assert_error_shape(response, 400, "validation_error")


@pytest.mark.urls("tests.backend.boom_urls")
@pytest.mark.parametrize("debug", DEBUG)
@pytest.mark.parametrize("path", ["/api/v1/test-boom", "/api/v1/test-plain-boom"])
def test_an_unhandled_exception_is_a_json_500_and_its_traceback_is_logged(
    client, caplog, debug, path
):
    client.raise_request_exception = False
    with override_settings(DEBUG=debug), caplog.at_level(logging.ERROR):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error_shape(response, 500, "server_error")
    assert body == {
        "code": "server_error",
        "message": "Something went wrong on our side.",
        "details": {},
    }
    assert SECRET_IN_LOCALS not in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    logged = [record for record in caplog.records if record.name == "backend.api_errors"]
    assert len(logged) == 1
    assert logged[0].exc_info and logged[0].exc_info[0] in (RuntimeError, ZeroDivisionError)
    assert logged[0].route in ("api/v1/test-boom", "api/v1/test-plain-boom")


@pytest.mark.parametrize("debug", DEBUG)
def test_pages_outside_the_api_keep_their_own_404(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/no-such-page")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


DOCUMENTS = ["/api/schema/", "/api/docs/", "/api/redoc/"]


@pytest.mark.parametrize("path", DOCUMENTS)
def test_the_schema_and_its_docs_are_public_whatever_token_comes_with_them(path):
    """They read no credentials (SERVE_AUTHENTICATION): a revoked token, or the password step's
    mfa_token sent as a Bearer token, got a 401 rendered as YAML or HTML; now the same document
    as for anyone."""
    revoked = token_client(UserFactory(field_worker=True))
    assert revoked.post("/api/v1/auth/logout", {}, format="json").status_code == 204
    member = member_of(TeamFactory())
    totp_device(member)
    step = APIClient().post(
        "/api/v1/auth/login", {"email": member.email, "password": PASSWORD}, format="json"
    )
    mfa_bearer = APIClient()
    mfa_bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {step.json()['mfa_token']}")
    anonymous = APIClient().get(path)
    assert anonymous.status_code == 200
    for client in (revoked, mfa_bearer):
        response = client.get(path)
        assert response.status_code == 200, response.content[:200]
        assert response["Content-Type"] == anonymous["Content-Type"]


@pytest.mark.parametrize("path", DOCUMENTS)
def test_an_unknown_format_of_the_schema_or_docs_is_a_json_406(api_client, path):
    assert_error_shape(api_client.get(path, {"format": "bogus"}), 406, "not_acceptable")
