"""The mobile app's contract: the calls the app makes, as it makes them, and what it relies on
in the answers (docs/adr/0043, docs/api-changelog.md).

The app ships apart from the backend, so a change here breaks phones in the field. Each call in
tests/api/mobile_contract.json is sent literally (placeholders in braces are filled from the
world and earlier answers) by the caller the app would have, against the real services and
PostgreSQL; its status, its error code and the recorded shape of its answer (keys and JSON
types, tests/api/contract.py) must hold. An added key passes; a removed or renamed key, a
changed type, status or error code fails. Changing the recording is a decision: it goes with a
changelog entry and, when it breaks the app, a new major version or a deprecation period.

Record anew (after such a decision):
    RECORD_MOBILE_CONTRACT=1 pytest tests/api/test_mobile_contract.py
"""

import copy
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from accounts.actors import SYSTEM
from backend.api_version import API_MAJOR, API_VERSION
from signals import services
from signals.models import ConsentText
from tests.api.contract import breaks, shape_of
from tests.factories import UserFactory, member_of
from tests.fixtures import token_client
from tests.signals.factories import team_with_coverage

pytestmark = pytest.mark.django_db

CONTRACT = Path(__file__).with_name("mobile_contract.json")
RECORD = os.environ.get("RECORD_MOBILE_CONTRACT") == "1"


def _filled(value: Any, slots: dict[str, Any]) -> Any:
    """`value` with every "{name}" string replaced by slots[name] (its own JSON type)."""
    if isinstance(value, dict):
        return {key: _filled(item, slots) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, slots) for item in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return slots[value[1:-1]]
    if isinstance(value, str) and "{" in value:
        return value.format(**slots)
    return value


def _world() -> tuple[dict[str, Any], dict[str, Any]]:
    """A team covering the intake address, a member of it and a field worker; the slots the
    calls start with."""
    team = team_with_coverage("Buurtteam Binnenstad", postcode="3511AB")
    callers = {"field_worker": UserFactory(field_worker=True), "team_member": member_of(team)}
    text = ConsentText.objects.get(version="2026-3", language="nl")
    slots = {
        "client_uuid": "6f1c2a9e-4b7d-4e21-9c3a-0d5e8f7a1b24",
        "consent_given_at": (timezone.now() - timedelta(minutes=3)).isoformat(),
        "consent_text_id": text.pk,
        "consent_text_sha256": text.sha256,
    }
    return callers, slots


def _run(contract: dict[str, Any]) -> list[dict[str, Any]]:
    """Sends every call in order; returns what came back (status, code, body) per call."""
    callers, slots = _world()
    clients = {name: token_client(user) for name, user in callers.items()}
    answers = []
    for call in contract["calls"]:
        if call.get("before") == "route":  # what the routing task does after intake
            services.signal_route(actor=SYSTEM, signal_id=slots["signal_id"])
        client = clients[call["caller"]]
        path = _filled(call["path"], slots)
        body = _filled(call.get("body"), slots)
        response = getattr(client, call["method"].lower())(path, body, format="json")
        data = json.loads(response.content) if response.content else None
        answers.append({"status": response.status_code, "body": data})
        for slot, key in call.get("keep", {}).items():  # ids and versions for later calls
            slots[slot] = data[key]
    return answers


def _recorded(answer: dict[str, Any]) -> dict[str, Any]:
    body = answer["body"]
    recorded: dict[str, Any] = {"status": answer["status"], "response": shape_of(body)}
    if answer["status"] >= 400:
        recorded["code"] = body["code"]
    return recorded


def contract_breaks(call: dict[str, Any], answer: dict[str, Any]) -> list[str]:
    """How `answer` breaks the recorded promise of `call`."""
    name = f"{call['method']} {call['path']} ({call['name']})"
    if answer["status"] != call["status"]:
        return [f"{name}: status {answer['status']}, the app expects {call['status']}"]
    found = [f"{name}: {problem}" for problem in breaks(call["response"], answer["body"])]
    if "code" in call and answer["body"].get("code") != call["code"]:
        found.append(f"{name}: error code {answer['body'].get('code')}, expected {call['code']}")
    return found


def test_the_mobile_app_calls_keep_their_contract():
    contract = json.loads(CONTRACT.read_text())
    answers = _run(contract)
    if RECORD:
        for call, answer in zip(contract["calls"], answers, strict=True):
            call.update(_recorded(answer))
        contract["api_version"] = API_VERSION
        CONTRACT.write_text(json.dumps(contract, indent=2, ensure_ascii=False) + "\n")
    problems = [
        problem
        for call, answer in zip(contract["calls"], answers, strict=True)
        for problem in contract_breaks(call, answer)
    ]
    assert not problems, "the mobile app's contract broke:\n" + "\n".join(problems)


def test_the_contract_covers_the_app_and_belongs_to_this_major_version():
    contract = json.loads(CONTRACT.read_text())
    assert contract["api_version"].split(".")[0] == API_MAJOR
    routes = {(call["method"], call["path"].split("{")[0]) for call in contract["calls"]}
    for needed in [
        ("POST", "/api/v1/signals"),  # intake
        ("GET", "/api/v1/consent-texts"),
        ("GET", "/api/v1/my/signals"),
        ("POST", "/api/v1/devices"),
        ("GET", "/api/v1/devices"),
        ("DELETE", "/api/v1/devices/"),
        ("GET", "/api/v1/me/notification-preferences"),
        ("PUT", "/api/v1/me/notification-preferences"),
        ("GET", "/api/v1/queue"),
        ("GET", "/api/v1/signals/"),
        ("POST", "/api/v1/signals/"),  # transitions
    ]:
        assert needed in routes, needed
    for call in contract["calls"]:
        assert {"status", "response"} <= call.keys(), f"{call['name']} was never recorded"


def test_a_removed_or_renamed_field_a_changed_type_or_status_breaks_the_contract():
    """The check itself can fail: each kind of break of a recorded answer is found."""
    contract = json.loads(CONTRACT.read_text())
    intake = next(call for call in contract["calls"] if call["name"] == "intake")
    body = {key: _example(shape) for key, shape in intake["response"].items()}
    answer = {"status": intake["status"], "body": body}
    assert contract_breaks(intake, answer) == []
    assert contract_breaks(intake, {**answer, "body": {**body, "extra": 1}}) == []  # additive

    removed = copy.deepcopy(answer)
    del removed["body"]["status"]
    assert any("status: gone" in p for p in contract_breaks(intake, removed))
    renamed = copy.deepcopy(answer)
    renamed["body"]["state"] = renamed["body"].pop("status")
    assert any("status: gone" in p for p in contract_breaks(intake, renamed))
    retyped = copy.deepcopy(answer)
    retyped["body"]["id"] = 7
    assert any(".id: str was promised, got int" in p for p in contract_breaks(intake, retyped))
    assert contract_breaks(intake, {**answer, "status": 200})
    refusal = next(call for call in contract["calls"] if "code" in call)
    wrong_code = {
        "status": refusal["status"],
        "body": {"code": "other", "message": "", "details": {}},
    }
    assert any("error code other" in p for p in contract_breaks(refusal, wrong_code))


def _example(shape: Any) -> Any:
    if isinstance(shape, dict):
        return {key: _example(item) for key, item in shape.items()}
    if isinstance(shape, list):
        return [_example(shape[0])] if shape else []
    first = shape.split("|")[0]
    return {"str": "x", "int": 1, "number": 1.5, "bool": True, "null": None}[first]
