import pytest
from django.urls import reverse

from backend.errors import CATALOGUE

pytestmark = pytest.mark.django_db


def test_every_error_code_has_dutch_and_english_text():
    import django.apps

    assert django.apps.apps.ready
    for code, spec in CATALOGUE.items():
        assert spec.nl and spec.en and spec.nl != spec.en, code
        assert 400 <= spec.status < 600, code


def test_validation_error_in_dutch_by_default(api_client):
    response = api_client.post(reverse("auth-login"), {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["message"] == "De invoer is ongeldig."
    assert body["details"]["fields"]["password"][0]["code"] == "required"
    assert body["details"]["fields"]["email"][0]["code"] == "invalid"


def test_validation_error_in_english_when_asked(api_client):
    response = api_client.post(reverse("auth-login"), {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert body["message"] == "The input is invalid."
    assert body["details"]["fields"]["email"][0]["message"] == "This field is required."


def test_domain_error_in_both_languages(api_client):
    data = {"email": "nobody@example.test", "password": "whatever-123"}
    nl = api_client.post(reverse("auth-login"), data, format="json").json()
    en = api_client.post(
        reverse("auth-login"), data, format="json", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"
    ).json()
    assert nl == {
        "code": "invalid_credentials",
        "message": "E-mailadres of wachtwoord klopt niet.",
        "details": {},
    }
    assert en["message"] == "Email address or password is incorrect."


def test_malformed_json_gets_the_same_shape(api_client):
    response = api_client.post(reverse("auth-login"), "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


def test_unknown_api_route_and_wrong_method(api_client, client_for):
    from tests.factories import UserFactory

    client = client_for(UserFactory())
    assert client.get("/api/v1/me").status_code == 200
    response = client.delete("/api/v1/me")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
