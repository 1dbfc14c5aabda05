"""Schemathesis against our own OpenAPI schema, every operation as every caller (anonymous and
one user per role, with real tokens), in-process against the WSGI app and the real PostgreSQL
test database with a seeded world. No response may be a 5xx and every response must conform:
status code documented, content type documented, body valid against the schema, and invalid
input refused (docs/adr/0017)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler

from tests.fixtures import token_client
from tests.fuzz.conftest import COVERAGE, EXAMPLES, OUTCOMES, SEED
from tests.fuzz.runner import fuzz_operation
from tests.fuzz.world import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_app")]

APP = WSGIHandler()
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/?format=json", APP)
# GET /openapi.json (ADR 43) takes no input and is the document itself, generated anew on each
# call (seconds); tests/api/test_nl_api_rules.py covers it.
NOT_FUZZED = {"GET /openapi.json"}
OPERATIONS = {
    label: operation
    for operation in (result.ok() for result in SCHEMA.get_all_operations())
    if (label := f"{operation.method.upper()} {operation.path}") not in NOT_FUZZED
}
RUNS = [(role, label) for label in OPERATIONS for role in ROLES]


def test_every_operation_of_the_schema_is_fuzzed():
    assert len(OPERATIONS) >= 30
    assert "POST /signals" in OPERATIONS  # relative to the server /api/v1 (ADR 43)


@pytest.mark.parametrize(("role", "label"), RUNS, ids=[f"{r}: {label}" for r, label in RUNS])
def test_fuzz(fuzz_world, role, label):
    headers = {}
    if role != "anonymous":
        access = token_client(fuzz_world.users[role]).token_pair.access
        headers = {"Authorization": f"Bearer {access}"}
    outcome = fuzz_operation(
        OPERATIONS[label],
        role=role,
        headers=headers,
        world=fuzz_world,
        examples=EXAMPLES,
        coverage=COVERAGE,
        seed=SEED,
    )
    OUTCOMES.append(outcome)
    assert outcome.cases > 0
    assert outcome.server_errors == 0 and not outcome.failures, "\n".join(outcome.failures)
