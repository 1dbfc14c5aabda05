import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext_lazy

from backend.errors import CATALOGUE, message_for, register

pytestmark = pytest.mark.django_db


def test_every_error_code_has_dutch_and_english_text():
    """The messages are gettext (docs/adr/0042): a code whose Dutch entry is missing from
    locale/nl, or whose .mo was not compiled, would read the English msgid to a Dutch client."""
    import django.apps

    assert django.apps.apps.ready
    assert len(CATALOGUE) > 90
    untranslated = []
    for code, spec in CATALOGUE.items():
        assert 400 <= spec.status < 600, code
        english, dutch = message_for(code, "en"), message_for(code, "nl")
        assert english, code
        with translation.override("en"):
            assert english == str(spec.message), code  # English is the msgid itself
        if not dutch or dutch == english:
            untranslated.append(code)
    assert untranslated == []


@pytest.mark.parametrize("language", ["nl", "de", "", None])
def test_anything_but_english_reads_dutch(language):
    """A client asking for a third language gets Dutch, not gettext's fall-back to the English
    msgid; no language means the active one."""
    with translation.override("nl"):
        assert message_for("not_found", language) == "Niet gevonden."
    with translation.override("en-gb"):
        assert message_for("not_found", "en-gb") == "Not found."
        assert message_for("not_found") == "Not found."


def test_placeholders_are_filled_in_both_languages():
    assert message_for("throttled", "nl", wait=7) == (
        "Te veel verzoeken; probeer het over 7 seconden opnieuw."
    )
    assert message_for("throttled", "en", wait=7) == "Too many requests; try again in 7 seconds."


def test_a_code_is_registered_once_with_a_gettext_message():
    with pytest.raises(ValueError, match="registered twice"):
        register("not_found", 404, pgettext_lazy("error", "Not found."))
    with pytest.raises(TypeError):
        register("a_new_code", 400, "Plain text is not translated.")  # type: ignore[arg-type]
    assert "a_new_code" not in CATALOGUE


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
