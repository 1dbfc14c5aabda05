"""Test set-up: real PostgreSQL and Redis (stop at once with a hint when either is down), real
network blocked except loopback (pytest-socket, see pyproject addopts)."""

import os

import pytest

SERVICES_HINT = (
    "Start them with `docker compose up -d db redis`, or point DATABASE_URL / REDIS_URL at "
    "running servers (on this machine: `pg_ctlcluster <version> main start`, `redis-server`)."
)


def _check_services() -> list[str]:
    import environ
    import psycopg
    import redis

    problems = []
    db = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    try:
        psycopg.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except Exception as exc:
        problems.append(f"PostgreSQL at {db['HOST']}:{db['PORT']} is unreachable ({exc})")
    try:
        redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=3).ping()
    except Exception as exc:
        problems.append(f"Redis at {os.environ['REDIS_URL']} is unreachable ({exc})")
    return problems


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.conf import settings

    settings.DATABASES  # noqa: B018 - loads backend.settings.test, which sets the env defaults
    if settings.SETTINGS_MODULE != "backend.settings.test":
        # DJANGO_SETTINGS_MODULE in the shell wins over pyproject's; never test elsewhere.
        pytest.exit(
            f"The tests run with backend.settings.test, not {settings.SETTINGS_MODULE}: "
            "use `make test` or unset DJANGO_SETTINGS_MODULE.",
            returncode=4,
        )
    problems = _check_services()
    if problems:
        pytest.exit("\n".join(problems) + "\n" + SERVICES_HINT, returncode=3)


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    """Throttle counters and other cache state must not leak between tests."""
    from django.core.cache import cache

    cache.clear()


pytest_plugins = ["tests.fixtures", "tests.worker"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.totals import LINES

    if LINES:
        terminalreporter.section("totals")
        for line in LINES:
            terminalreporter.write_line(line)
