"""The payload policy, for every kind of push in every language."""

import json
import logging

import pytest
from django.utils import translation

from notifications.gateways import ConsoleGateway, OutgoingPush, loggable_payload
from notifications.messages import TEXTS, push_message_build
from notifications.models import Notification
from signals.models import ReasonCode, TargetGroup
from tests.signals.factories import make_signal

KINDS = list(Notification.Kind)
SIGNAL_ID = "6f1c1c3e-2f4b-4f55-9a84-0d7c4f7a9b21"
RESIDENT = {"first_name": "Berendina", "phone": "+31 6 55501234", "email": "berendina@example.test"}
FORBIDDEN_WORDS = ["eenzaam", "lonely", "loneliness", "alleen", "alone", "isolat"]


def build(
    kind: str,
    language: str = "nl",
    urgent: bool = False,
    object_id: str = SIGNAL_ID,
    **address: str,
) -> dict:
    address = address or {"registration_token": "token-1"}
    message = push_message_build(
        kind=kind,
        object_id=object_id,
        language=language,
        urgent=urgent,
        collapse="event-7",
        **address,
    )
    return loggable_payload(message)


def _texts(kind: str, language: str) -> tuple[str, str]:
    with translation.override(language):
        title, body = TEXTS[kind]
        return str(title), str(body)


def test_every_kind_has_a_dutch_and_an_english_text():
    assert set(TEXTS) == set(KINDS)
    for kind in KINDS:
        dutch, english = _texts(kind, "nl"), _texts(kind, "en")
        assert dutch[0] != english[0] and dutch[1] != english[1]


def test_a_language_without_texts_reads_dutch():
    payload = build(Notification.Kind.SIGNAL_ROUTED, "de")
    assert payload["data"]["title"] == "Nieuw signaal voor je team"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_payload_carries_only_type_id_and_generic_text(kind, language):
    # The id of a real signal with a resident in it, so a payload that looked them up would show.
    signal = make_signal(resident=RESIDENT, observation="Voelt zich alleen sinds de verhuizing.")
    payload = build(kind, language, object_id=str(signal.pk))
    title, body = _texts(kind, language)

    assert "notification" not in payload  # data-only: the app renders it
    assert payload["data"] == {
        "type": kind,
        "id": str(signal.pk),
        "title": title,
        "body": body,
        "visibility": "private",
        "tag": "event-7",
    }
    text = json.dumps(payload, ensure_ascii=False).lower()
    assert [word for word in FORBIDDEN_WORDS if word in text] == []
    resident = [*RESIDENT.values(), "3511ab", "verhuizing"]
    assert [value for value in resident if value.lower() in text] == []
    assert [group for group in TargetGroup.values if group in text] == []
    reason_words = [
        value.lower()
        for code in ReasonCode.objects.all()
        for value in (code.code, code.label_nl, code.label_en)
    ]
    assert reason_words  # the seeded reason codes are there to compare with
    assert [word for word in reason_words if word in text] == []


def test_unknown_language_falls_back_to_dutch():
    assert build("signal_routed", "fr")["data"]["title"] == "Nieuw signaal voor je team"


def test_priority_follows_urgency():
    normal, urgent = build("signal_routed"), build("signal_routed", urgent=True)
    assert normal["android"]["priority"] == "normal"
    assert urgent["android"]["priority"] == "high"
    assert normal["apns"]["headers"]["apns-priority"] == "5"
    assert urgent["apns"]["headers"]["apns-priority"] == "10"


def test_the_installation_id_is_preferred_and_neither_address_is_logged():
    message = push_message_build(
        kind="signal_routed",
        object_id=SIGNAL_ID,
        language="nl",
        urgent=False,
        collapse="event-7",
        installation_id="fid-123",
        registration_token="token-123",
    )
    assert message.fid == "fid-123"
    assert message.token is None
    assert "fid-123" not in json.dumps(loggable_payload(message))


def test_the_console_gateway_logs_the_payload_without_the_address(caplog):
    message = push_message_build(
        kind="signal_assigned",
        object_id=SIGNAL_ID,
        language="en",
        urgent=False,
        collapse="event-7",
        registration_token="secret-device-token",
    )
    with caplog.at_level(logging.INFO, logger="notifications.gateways"):
        [result] = ConsoleGateway().send([OutgoingPush(41, message)])
    assert result.outcome == "sent"
    assert result.message_id.startswith("console/")
    [record] = caplog.records
    assert record.notification_id == 41
    assert record.payload["data"]["title"] == "A signal was assigned to you"
    assert "secret-device-token" not in json.dumps(record.payload)


def test_the_console_gateway_payload_shows_in_the_demo_text_log_format(caplog, settings):
    message = push_message_build(
        kind="signal_routed",
        object_id=SIGNAL_ID,
        language="nl",
        urgent=False,
        collapse="event-7",
        registration_token="secret-device-token",
    )
    with caplog.at_level(logging.INFO, logger="notifications.gateways"):
        ConsoleGateway().send([OutgoingPush(42, message)])
    [record] = caplog.records
    record.request_id = "-"
    # The demo logs with this format (LOG_FORMAT=text), which shows no extra fields.
    line = logging.Formatter(settings.LOGGING["formatters"]["text"]["format"]).format(record)
    assert "notification 42" in line
    assert f'"id": "{SIGNAL_ID}"' in line and '"type": "signal_routed"' in line
    assert "secret-device-token" not in line
