"""Runs schemathesis cases for one operation as one caller, in-process against the WSGI app, and
counts what came back. Failures are collected, not raised, so one run reports every operation
and the totals stay honest (docs/adr/0017).

Phases per operation and caller: schemathesis' coverage cases (boundary and missing values,
capped at `coverage` cases), then `examples` generated cases in positive mode and `examples` in
negative mode, seeded. In positive cases ids in the path and in id fields of bodies and queries
are drawn from the seeded world most of the time.
"""

import contextlib
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import GenerationConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import NO_FEEDBACK
from schemathesis.generation.overrides import Override
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from signals.models import Signal
from tests.fuzz.world import World

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@dataclass
class Outcome:
    operation: str
    role: str
    cases: int = 0
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)


def _snake(name: str) -> str:
    """The schema names path parameters in camelCase (`signalId`, ADR 43); the world's ids and
    the body fields use Python's names (`signal_id`)."""
    return re.sub(r"(?<!^)([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def _seeded(name: str, value: Any, world: World, data: st.DataObject) -> Any:
    ids = world.ids.get(_snake(name))
    if not ids or not data.draw(st.integers(0, 9), label=f"seeded {name}?") < 8:
        return value
    return data.draw(st.sampled_from(ids), label=name)


def _make_realistic(case: Any, world: World, data: st.DataObject) -> None:
    """Points a positive case at objects that exist (and the current version of a signal)."""
    for name in list(case.path_parameters or {}):
        case.path_parameters[name] = _seeded(name, case.path_parameters[name], world, data)
    for container in (case.query, case.body):
        if not isinstance(container, dict):
            continue
        for name in list(container):
            container[name] = _seeded(name, container[name], world, data)
    signal_id = (case.path_parameters or {}).get("signalId")
    has_version = isinstance(case.body, dict) and "version" in case.body
    if has_version and signal_id and data.draw(st.booleans(), label="current version?"):
        current = Signal.objects.filter(pk=signal_id).values_list("version", flat=True)
        case.body["version"] = next(iter(current), case.body["version"])


def _as_sent(case: Any) -> None:
    """An object in a query parameter (a negative case) reaches werkzeug as str(dict), one
    valid string, while the report and its curl line send the object's keys as repeated
    values. Send what is reported, so the check judges the request it shows."""
    if isinstance(case.query, dict):
        for name, value in list(case.query.items()):
            if isinstance(value, dict) and value:
                case.query[name] = list(value)


def _run_case(case: Any, headers: dict[str, str], outcome: Outcome) -> None:
    _as_sent(case)
    if headers:  # on the case, so schemathesis knows a generated header was replaced
        case.headers = {**(case.headers or {}), **headers}
    response = case.call()
    outcome.cases += 1
    outcome.statuses[response.status_code] = outcome.statuses.get(response.status_code, 0) + 1
    if response.status_code >= 500:
        outcome.server_errors += 1
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except FailureGroup as group:
        curl = case.as_curl_command(headers=headers)
        for failure in group.exceptions:
            outcome.failures.append(
                f"{outcome.role} {outcome.operation} -> {response.status_code}: "
                f"{failure.title}: {failure.message.strip()[:600]}\n    {curl[:600]}"
            )


def fuzz_operation(
    operation: Any,
    *,
    role: str,
    headers: dict[str, str],
    world: World,
    examples: int,
    coverage: int,
    seed: int,
) -> Outcome:
    outcome = Outcome(operation=f"{operation.method.upper()} {operation.path}", role=role)
    if coverage:
        generator = CoverageGenerator(
            operation=operation,
            generation_modes=list(MODES),
            generation_config=GenerationConfig(),
            auth_storage=None,
            override=Override(),
            feedback=NO_FEEDBACK,
        )
        for case in itertools.islice(generator, coverage):
            _run_case(case, headers, outcome)
    for mode in MODES:
        # Unsatisfiable: nothing negative to make of an operation without inputs.
        with contextlib.suppress(Unsatisfiable):
            _generated(operation, mode, headers, world, outcome, examples=examples, seed=seed)()
    return outcome


def _generated(
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    world: World,
    outcome: Outcome,
    *,
    examples: int,
    seed: int,
) -> Any:
    strategy = operation.as_strategy(generation_mode=mode)

    @hypothesis.seed(seed)
    @settings(
        max_examples=examples,
        derandomize=False,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(strategy, label="case")
        if mode == GenerationMode.POSITIVE:
            _make_realistic(case, world, data)
        _run_case(case, headers, outcome)

    return run
