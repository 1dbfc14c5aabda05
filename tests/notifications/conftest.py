from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from notifications import gateways
from tests.notifications import fcm_server

# A weekday morning in the past: outside default quiet hours whenever the suite runs, and not
# ahead of the real clock a worker process sees.
DAYTIME = datetime(2025, 6, 10, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def _daytime() -> Iterator[None]:
    """Quiet hours depend on the clock; tests that care travel further themselves."""
    with time_machine.travel(DAYTIME):
        yield


@pytest.fixture(autouse=True)
def _fresh_gateway() -> Iterator[None]:
    """The gateway is cached per process; a test that changes PUSH_GATEWAY gets a new one."""
    gateways.push_gateway.cache_clear()
    yield
    gateway = gateways.push_gateway() if gateways.push_gateway.cache_info().currsize else None
    if isinstance(gateway, gateways.FcmGateway):
        gateway.close()
    gateways.push_gateway.cache_clear()


@pytest.fixture(scope="session")
def local_google(tmp_path_factory: pytest.TempPathFactory) -> Iterator[fcm_server.LocalGoogle]:
    google = fcm_server.start(tmp_path_factory.mktemp("google"))
    yield google
    google.stop()


@pytest.fixture
def fcm(
    local_google: fcm_server.LocalGoogle, monkeypatch: pytest.MonkeyPatch
) -> Iterator[fcm_server.FakeGoogle]:
    """PUSH_GATEWAY=fcm, with Google's endpoints answered on 127.0.0.1 (see fcm_server)."""
    local_google.fake.requests.clear()
    local_google.fake.answer_token_endpoint()
    local_google.fake._fcm.clear()
    local_google.fake.before_answer = None
    for name in ("HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, local_google.proxy_url)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(local_google.ca_file))
    with override_settings(
        PUSH_GATEWAY="fcm", FIREBASE_CREDENTIALS_FILE=str(local_google.credentials_file)
    ):
        yield local_google.fake
