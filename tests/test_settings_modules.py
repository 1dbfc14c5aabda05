"""Which settings run where: the demo data (six accounts with a published password and TOTP
secret) loads only under the demo and test settings, and manage.py, the Celery app and wsgi all
fall back to the production settings, which refuse to run without their environment, so a
worker started without DJANGO_SETTINGS_MODULE cannot quietly use another database than the web
process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import Organisation
from tests.worker import _database_url

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = "backend.settings.production"


def production_env(database_url: str, *, settings_module: str | None = PRODUCTION) -> dict:
    """What a deployment provides: production settings complete, nothing of the test run's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "FIELD_ENCRYPTION", "PYTEST"))
    }
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        REDIS_URL=os.environ["REDIS_URL"],
        CELERY_BROKER_URL="memory://",  # nothing may reach a real queue from here
        PUSH_GATEWAY="console",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_SECURE_SSL_REDIRECT="false",
    )
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    return env


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


# --- the demo data loader -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_load_demo_data_refuses_under_production_settings():
    # A migrated database the subprocess can write to and that is emptied afterwards: the test
    # database (committed rows are visible to the subprocess in a transactional test).
    users_before = get_user_model().objects.count()
    env = production_env(_database_url())

    result = run(["manage.py", "load_demo_data"], env)

    assert result.returncode != 0, result.stdout
    assert "Demo data is refused under backend.settings.production" in result.stderr
    assert "demo-verbinding-2026" not in result.stdout + result.stderr
    assert get_user_model().objects.count() == users_before
    assert not Organisation.objects.filter(name="Woonstichting Demo").exists()


@pytest.mark.django_db
def test_load_demo_data_refuses_wherever_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="Demo data is refused"):
        call_command("load_demo_data")
    from accounts import demo

    # Called from a shell instead of the command: refused too.
    with pytest.raises(Exception, match="demo accounts are refused"):
        demo.load()
    assert not get_user_model().objects.filter(email__endswith="@demo.buurtsignaal.nl").exists()


@pytest.mark.django_db
def test_load_demo_data_runs_under_the_test_settings():
    call_command("load_demo_data")
    demo_users = get_user_model().objects.filter(email__endswith="@demo.buurtsignaal.nl")
    assert demo_users.count() == 6
    privacy = demo_users.get(email="privacy@demo.buurtsignaal.nl")
    assert privacy.totpdevice_set.get().confirmed


# --- entry points without a settings module -----------------------------------------------------

SHOW_SETTINGS = (
    "from django.conf import settings; "
    "print(settings.SETTINGS_MODULE, settings.DATABASES['default']['NAME'])"
)
ENTRY_POINTS = {
    "manage.py": ["manage.py", "shell", "-v", "0", "-c", SHOW_SETTINGS],
    # What `celery -A backend` imports first; its Django fix-up then sets up these settings.
    "celery": ["-c", f"import backend.celery; {SHOW_SETTINGS}"],
    "wsgi": ["-c", f"import backend.wsgi; {SHOW_SETTINGS}"],
}


@pytest.mark.parametrize("entry_point", list(ENTRY_POINTS))
def test_every_entry_point_defaults_to_the_production_settings(entry_point):
    database_url = "postgres://postgres@127.0.0.1:5432/the_web_processes_database"
    result = run(ENTRY_POINTS[entry_point], production_env(database_url, settings_module=None))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [PRODUCTION, "the_web_processes_database"]


@pytest.mark.parametrize("entry_point", list(ENTRY_POINTS))
def test_without_settings_module_or_environment_an_entry_point_refuses_to_start(entry_point):
    bare = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    result = run(ENTRY_POINTS[entry_point], bare)
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr
    assert "sqlite" not in result.stdout + result.stderr  # never the demo database


# --- the demo's filesystem broker ---------------------------------------------------------------

DECLARE_DEFAULT_QUEUE = """
import django
django.setup()
from backend.celery import app
with app.connection_for_write() as connection:
    app.amqp.queues["default"].bind(connection.default_channel).declare()
"""


def test_the_demo_broker_keeps_its_exchange_tables_in_the_var_folder(tmp_path):
    """kombu's filesystem transport writes `<exchange>.exchange` files to its control folder;
    without the option that is ./control of whatever folder the demo was started from."""
    var, started_in = tmp_path / "var", tmp_path / "elsewhere"
    started_in.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(ROOT),
        "DEMO_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "backend.settings.demo",
    }
    result = subprocess.run(
        [sys.executable, "-c", DECLARE_DEFAULT_QUEUE],
        cwd=started_in,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert (var / "celery" / "control" / "default.exchange").is_file()
    assert not (started_in / "control").exists()
