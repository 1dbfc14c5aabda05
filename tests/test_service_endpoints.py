import json
import re

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_the_auth_endpoints(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["servers"][0]["url"] == "/api/v1"  # paths are relative to it (ADR 43)
    assert {"/auth/login", "/auth/refresh", "/auth/logout", "/me"} <= set(schema["paths"])


def test_swagger_ui_is_served_from_local_static_files(api_client):
    response = api_client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    # Every asset is local and no other host is named. (A search for "cdn" also hit the random
    # CSRF token the page embeds, about once in 700 runs.)
    assets = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert assets and all(url.startswith("/static/") for url in assets), assets
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", html, re.IGNORECASE)
    asset = api_client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200


def test_admin_login_page(api_client):
    assert api_client.get("/admin/login/").status_code == 200


def test_request_id_is_echoed_or_made(api_client):
    given = api_client.get("/healthz", HTTP_X_REQUEST_ID="abc12345-req")
    assert given["X-Request-ID"] == "abc12345-req"
    made = api_client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")
    assert made["X-Request-ID"] != "bad id with spaces"
    assert len(made["X-Request-ID"]) == 32
