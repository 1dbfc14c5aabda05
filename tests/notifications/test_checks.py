from django.test import override_settings

from notifications.checks import push_gateway_configured


def ids() -> list[str]:
    return [message.id for message in push_gateway_configured()]


def test_the_push_configuration_is_checked_at_startup(tmp_path):
    assert ids() == []  # console, the test default
    with override_settings(PUSH_GATEWAY="apns"):
        assert ids() == ["notifications.E001"]
    with override_settings(PUSH_GATEWAY="fcm", FIREBASE_CREDENTIALS_FILE=""):
        assert ids() == ["notifications.E002"]
    key = tmp_path / "service-account.json"
    key.write_text("{}")
    with override_settings(PUSH_GATEWAY="fcm", FIREBASE_CREDENTIALS_FILE=str(key)):
        assert ids() == []
