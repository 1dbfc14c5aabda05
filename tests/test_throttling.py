"""Throttles (backend.throttling): keyed on the client address exactly as the access log and the
login lockout derive it (TRUSTED_PROXY_COUNT), never on a header the client chose; per user on
signal intake, device registration, exports and break-glass; each refusal a 429 in the error
shape with Retry-After; atomic under concurrency; open when the cache is down."""

import logging
import threading

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from audit.models import AccessLog, Action
from backend.throttling import ScopedThrottle
from notifications.models import Device
from signals.models import BreakGlassAccess, Signal, Status
from tests.factories import PASSWORD, UserFactory, member_of
from tests.privacy.rights import case, open_request
from tests.signals.factories import intake_payload, make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

LOGIN = reverse("auth-login")
SPOOFED = [f"198.51.100.{n}" for n in range(1, 40)]


def assert_throttled(response) -> int:
    """A 429 in the one error shape whose Retry-After header and details agree."""
    assert response.status_code == 429, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == "throttled"
    wait = body["details"]["retry_after"]
    assert isinstance(wait, int) and wait >= 1
    assert response["Retry-After"] == str(wait)
    assert str(wait) in body["message"]
    return wait


def login(client, email: str, password: str = "wrong-password", forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(LOGIN, {"email": email, "password": password}, format="json", **extra)


# --- one source of client addresses ---------------------------------------------------------


def test_varied_x_forwarded_for_does_not_escape_the_login_throttle_without_trusted_proxies(
    api_client, settings, throttle_rates
):
    settings.TRUSTED_PROXY_COUNT = 0
    throttle_rates(login="10/min")
    # The report: 15 logins with varied headers, no 429. Different names keep the lockout out.
    codes = [
        login(api_client, f"nobody{n}@example.test", forwarded=SPOOFED[n]).status_code
        for n in range(15)
    ]
    assert codes == [401] * 10 + [429] * 5
    wait = assert_throttled(login(api_client, "late@example.test", forwarded="203.0.113.50"))
    assert wait <= 60


def test_behind_one_trusted_proxy_the_throttle_and_the_log_use_the_hop_it_added(
    api_client, settings, throttle_rates
):
    settings.TRUSTED_PROXY_COUNT = 1
    throttle_rates(login="3/min")
    # The left part is whatever the client sent; our proxy appended the address it saw.
    codes = [
        login(api_client, f"n{n}@example.test", forwarded=f"{SPOOFED[n]}, 203.0.113.9").status_code
        for n in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    elsewhere = login(api_client, "n9@example.test", forwarded=f"{SPOOFED[0]}, 203.0.113.10")
    assert elsewhere.status_code == 401  # another client behind the proxy has its own budget

    addresses = AccessLog.objects.filter(action=Action.LOGIN_FAILED).values_list(
        "client_address", flat=True
    )
    assert sorted(addresses) == ["203.0.113.10"] + ["203.0.113.9"] * 3


@pytest.mark.parametrize(
    ("proxies", "attacker", "owner", "owner_gets_in"),
    [
        # No trusted proxy: the header is ignored, so varying it neither escapes the lockout
        # nor separates two clients (both are REMOTE_ADDR).
        (0, lambda n: SPOOFED[n], "203.0.113.10", False),
        # One proxy: the lockout is per address our proxy saw, whatever the client put left.
        (1, lambda n: f"{SPOOFED[n]}, 203.0.113.9", f"{SPOOFED[0]}, 203.0.113.10", True),
    ],
    ids=["no-proxy", "one-proxy"],
)
def test_the_login_lockout_counts_per_address_as_the_access_log_sees_it(
    api_client, settings, proxies, attacker, owner, owner_gets_in
):
    settings.TRUSTED_PROXY_COUNT = proxies
    user = UserFactory(field_worker=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(api_client, user.email, forwarded=attacker(n))
    locked = login(api_client, user.email, PASSWORD, forwarded=attacker(10))
    assert (locked.status_code, locked.json()["code"]) == (429, "login_locked")
    expected_address = "203.0.113.9" if proxies else "127.0.0.1"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {expected_address}

    from_owner = login(api_client, user.email, PASSWORD, forwarded=owner)
    assert (from_owner.status_code == 200) is owner_gets_in


def test_mfa_verify_is_throttled_per_address(api_client, throttle_rates):
    throttle_rates(login="3/min")
    url = reverse("auth-mfa-verify")
    codes = [
        api_client.post(
            url,
            {"mfa_token": "not-a-token", "code": "123456"},
            format="json",
            HTTP_X_FORWARDED_FOR=SPOOFED[n],
        ).status_code
        for n in range(3)
    ]
    assert 429 not in codes
    assert_throttled(api_client.post(url, {"mfa_token": "x", "code": "1"}, format="json"))


# --- per-user limits --------------------------------------------------------------------------


def test_signal_creation_is_limited_per_field_worker(client_for, throttle_rates):
    throttle_rates(signal_create="2/min")
    worker, colleague = UserFactory(field_worker=True), UserFactory(field_worker=True)
    client = client_for(worker)
    for _ in range(2):
        assert client.post("/api/v1/signals", intake_payload(), format="json").status_code == 201
    assert_throttled(client.post("/api/v1/signals", intake_payload(), format="json"))
    assert Signal.objects.filter(created_by=worker).count() == 2
    # Per user, not per address: a colleague on the same network is not held back.
    again = client_for(colleague).post("/api/v1/signals", intake_payload(), format="json")
    assert again.status_code == 201


def test_device_registration_is_limited_per_user_and_listing_is_not(client_for, throttle_rates):
    throttle_rates(device_register="2/min")
    user = UserFactory()
    client = client_for(user)
    devices = reverse("device-list")
    for n in range(2):
        body = {"registration_token": f"token-{n}", "platform": "android"}
        assert client.post(devices, body, format="json").status_code == 201
    refused = client.post(devices, {"registration_token": "t-x", "platform": "ios"}, format="json")
    assert_throttled(refused)
    assert Device.objects.filter(user=user).count() == 2
    assert all(client.get(devices).status_code == 200 for _ in range(4))


def _exports(c):
    """Each export by name, with what it needs (the Art. 15 export an open access request)."""
    subject = c.signal.subject_id
    access_request = open_request(c.officer, subject)
    return {
        "access-log-csv": lambda client: client.get(reverse("audit-access-log-export")),
        "art-15": lambda client: client.get(
            reverse("privacy-subject-export", kwargs={"subject_id": subject}),
            {"request": access_request},
        ),
        "consent-register-csv": lambda client: client.get(
            reverse("privacy-consent-register"), {"format": "csv"}
        ),
    }


@pytest.mark.parametrize("name", ["access-log-csv", "art-15", "consent-register-csv"])
def test_each_export_is_limited_per_user(client_for, throttle_rates, name):
    throttle_rates(export="1/min")
    c = case(state=Status.CLOSED, note=False, team_read=False)
    export = _exports(c)[name]
    client = client_for(c.officer)
    assert export(client).status_code == 200
    rows = AccessLog.objects.count()
    assert_throttled(export(client))
    assert AccessLog.objects.count() == rows  # refused before anything was read or logged
    other_officer = UserFactory(privacy_officer=True)
    assert export(client_for(other_officer)).status_code == 200


def test_the_exports_share_one_budget_and_the_json_register_page_is_not_an_export(
    client_for, throttle_rates
):
    throttle_rates(export="2/min")
    c = case(state=Status.CLOSED, note=False, team_read=False)
    exports = _exports(c)
    client = client_for(c.officer)
    assert exports["access-log-csv"](client).status_code == 200
    assert exports["art-15"](client).status_code == 200
    assert_throttled(exports["consent-register-csv"](client))
    register_page = client.get(reverse("privacy-consent-register"))
    assert register_page.status_code == 200


def test_break_glass_is_limited_per_user(client_for, throttle_rates):
    throttle_rates(break_glass="1/min")
    team_with_coverage()
    first, second = make_signal(state=Status.ROUTED), make_signal(state=Status.ROUTED)
    outsider = member_of(team_with_coverage("Buurtteam Overvecht", postcode="3563AB"))
    client = client_for(outsider)
    reason = {"reason": "Bewoner belde de centrale lijn; het eigen team is vandaag dicht."}
    opened = client.post(f"/api/v1/signals/{first.pk}/break-glass", reason, format="json")
    assert opened.status_code == 201
    assert_throttled(client.post(f"/api/v1/signals/{second.pk}/break-glass", reason, format="json"))
    assert not BreakGlassAccess.objects.filter(signal=second).exists()


# --- how the throttle itself behaves ----------------------------------------------------------


def test_concurrent_requests_cannot_all_slip_through_one_window(throttle_rates):
    throttle_rates(signal_create="5/min")
    user = UserFactory(field_worker=True)
    view = type("View", (APIView,), {"throttle_scope": "signal_create"})()
    callers = 20
    barrier = threading.Barrier(callers, timeout=10)
    allowed: list[bool] = []

    def request_once() -> None:
        request = RequestFactory().post("/api/v1/signals")
        request.user = user
        barrier.wait()
        allowed.append(ScopedThrottle().allow_request(request, view))

    threads = [threading.Thread(target=request_once) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert allowed.count(True) == 5 and len(allowed) == callers


def test_a_throttled_request_costs_one_redis_round_trip(throttle_rates, monkeypatch):
    """The counter is created and counted in one pipeline (docs/adr/0029), not Django's add +
    EXISTS + INCR; it expires with its window and cache.get reads it as Django wrote it."""
    from django.core.cache import cache, caches
    from redis.connection import Connection

    throttle_rates(signal_create="3/min")
    request = RequestFactory().post("/api/v1/signals")
    request.user = UserFactory(field_worker=True)
    view = type("View", (APIView,), {"throttle_scope": "signal_create"})()
    throttle = ScopedThrottle()
    assert throttle.allow_request(request, view)  # connects; the next calls reuse it
    sent: list[int] = []
    send = Connection.send_packed_command
    monkeypatch.setattr(
        Connection,
        "send_packed_command",
        lambda self, *args, **kwargs: sent.append(1) or send(self, *args, **kwargs),
    )
    assert [throttle.allow_request(request, view) for _ in range(3)] == [True, True, False]
    assert len(sent) == 3  # one write of the pipelined commands per request
    monkeypatch.setattr(Connection, "send_packed_command", send)
    key = f"{throttle.get_cache_key(request, view)}:{int(throttle.timer() // 60)}"
    assert cache.get(key) == 4
    raw = caches["default"]._cache.get_client(key)
    assert 0 < raw.ttl(cache.make_and_validate_key(key)) <= 61


def test_throttles_let_requests_through_when_the_cache_is_down(
    client_for, settings, throttle_rates, caplog
):
    throttle_rates(signal_create="1/min")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    client = client_for(UserFactory(field_worker=True))
    with caplog.at_level(logging.WARNING, logger="backend.throttling"):
        codes = [
            client.post("/api/v1/signals", intake_payload(), format="json").status_code
            for _ in range(3)
        ]
    assert codes == [201, 201, 201]  # intake keeps working while Redis is down
    warnings = [r for r in caplog.records if r.name == "backend.throttling"]
    assert len(warnings) == 3 and warnings[0].throttle_scope == "signal_create"


# --- every throttled route ----------------------------------------------------------------------

THROTTLED = {
    "auth-login": "login",
    "auth-oidc-exchange": "login",
    "auth-mfa-verify": "login",
    "auth-mfa-totp": "login",
    "auth-mfa-totp-confirm": "login",
    "auth-credentials-set": "login",
    "auth-refresh": "refresh",
    "signal-create": "signal_create",
    "signal-break-glass": "break_glass",
    "device-list": "device_register",
    "audit-access-log-export": "export",
    "privacy-subject-export": "export",
    "privacy-consent-register": "export",
}


def _views() -> list[tuple[str, type]]:
    found = []

    def walk(patterns: list) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern) and hasattr(entry.callback, "view_class"):
                found.append((entry.name, entry.callback.view_class))

    walk(get_resolver().url_patterns)
    return found


def test_every_throttled_route_uses_the_project_throttle_with_a_configured_scope():
    assert api_settings.DEFAULT_THROTTLE_CLASSES == []
    throttled = {}
    for name, view in _views():
        classes = getattr(view, "throttle_classes", [])
        # DRF's own throttles believe X-Forwarded-For; only the project throttle may be used.
        assert all(issubclass(cls, ScopedThrottle) for cls in classes), (name, classes)
        if classes:
            throttled[name] = view.throttle_scope
    assert throttled == THROTTLED
    assert set(THROTTLED.values()) <= set(api_settings.DEFAULT_THROTTLE_RATES)
