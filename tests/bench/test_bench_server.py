"""The bench-only server pieces (backend.settings.bench): the bare baseline view exists only
there, costs one query, and the settings module adds nothing else to production."""

import json
import os
import uuid

import pytest
import redis
from django.conf import settings
from django.test import override_settings
from django.urls import Resolver404, resolve
from rest_framework.test import APIClient

from bench.server.middleware import QueryCountMiddleware
from bench.server.tasks import NOOP_LIST, noop
from tests.factories import UserFactory
from tests.fixtures import token_client
from tests.test_settings_modules import production_env, run

BENCH_URLS = "bench.server.urls"


def test_the_bare_view_is_not_mounted_by_the_application_urls():
    with pytest.raises(Resolver404):
        resolve("/bench/bare", urlconf="backend.urls")
    assert resolve("/bench/bare", urlconf=BENCH_URLS).url_name == "bench-bare"
    # The wrapper keeps every application route.
    assert resolve("/api/v1/me", urlconf=BENCH_URLS).url_name == "me"


@override_settings(ROOT_URLCONF=BENCH_URLS)
@pytest.mark.django_db
def test_the_bare_view_refuses_anonymous_calls():
    assert APIClient().get("/bench/bare").status_code == 401


@override_settings(ROOT_URLCONF=BENCH_URLS)
@pytest.mark.django_db
def test_the_bare_view_costs_only_the_session_lookup(django_assert_num_queries):
    """One query (session and user) on the first request; none once the session is cached in
    Redis (accounts.session_cache, docs/adr/0047)."""
    client = token_client(UserFactory(field_worker=True))
    with django_assert_num_queries(1):
        answer = client.get("/bench/bare")
    assert answer.status_code == 200
    with django_assert_num_queries(0):
        answer = client.post("/bench/bare", {"a": 1, "b": 2}, format="json")
    assert (answer.status_code, answer.json()) == (201, {"ok": True, "keys": 2})


@override_settings(
    ROOT_URLCONF=BENCH_URLS,
    MIDDLEWARE=["bench.server.middleware.QueryCountMiddleware", *settings.MIDDLEWARE],
)
@pytest.mark.django_db
def test_queries_are_counted_only_when_the_harness_asks():
    client = token_client(UserFactory(field_worker=True))
    assert "X-Bench-Queries" not in client.get("/bench/bare")
    answer = client.get("/bench/bare", HTTP_X_BENCH_COUNT_QUERIES="1")
    assert answer["X-Bench-Queries"] == "0"  # the session is cached since the first request
    assert QueryCountMiddleware  # imported from where the bench settings name it


def test_the_noop_task_records_when_it_ran():
    store = redis.Redis.from_url(settings.REDIS_URL)
    token = f"test-{uuid.uuid4()}"
    try:
        noop(token)
        entries = [e.decode().split() for e in store.lrange(NOOP_LIST, 0, -1)]
        assert [e[0] for e in entries if e[0] == token] == [token]
        assert float(next(e[1] for e in entries if e[0] == token)) > 0
    finally:
        store.delete(NOOP_LIST)


def test_the_bench_settings_add_only_the_baselines_to_production():
    script = (
        "import importlib, json, sys; m = importlib.import_module(sys.argv[1]); "
        "print(json.dumps({k: repr(getattr(m, k)) for k in dir(m) if k.isupper()}))"
    )
    env = production_env("postgres://postgres@127.0.0.1:5432/unused")
    values = {}
    for module in ("backend.settings.production", "backend.settings.bench"):
        done = run(["-c", script, module], env)
        assert done.returncode == 0, done.stderr
        values[module] = json.loads(done.stdout)
    production, bench = values.values()
    changed = {k for k in bench if production.get(k) != bench[k]}
    assert changed == {"ROOT_URLCONF", "CELERY_IMPORTS", "MIDDLEWARE"}
    assert bench["MIDDLEWARE"] == repr(
        ["bench.server.middleware.QueryCountMiddleware", *eval(production["MIDDLEWARE"])]
    )


def test_the_harness_environment_is_complete_for_the_bench_settings():
    """`make bench` starts gunicorn, Celery and `migrate` with bench.stack.app_env only: every
    variable the production settings require must be in it (issue 24: it lacked EMAIL_URL and
    DEFAULT_FROM_EMAIL, and the harness stopped at its first migrate)."""
    from bench.stack import app_env

    env = app_env(database_url="postgres://postgres@127.0.0.1:5432/unused")
    env["PATH"] = os.environ.get("PATH", "")
    done = run(["-c", "import django; django.setup()"], env)
    assert done.returncode == 0, done.stderr
