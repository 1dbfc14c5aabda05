"""The backup and restore runbook (docs/operations.md), run: a database with signals, their
events and a sealed access log is dumped with pg_dump, restored with pg_restore into a new
database, `verify_access_log` passes there against the head recorded before the dump, and the
app serves from it, decrypting the residents' fields with the same keys."""

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from audit.models import AccessLog
from audit.sealing import access_log_seal
from signals.models import Signal, SignalEvent, Status
from tests.factories import member_of
from tests.fixtures import token_client
from tests.signals.factories import make_signal, team_with_coverage
from tests.worker import ROOT

# pg_dump reads committed rows; serialized_rollback puts back the seeded rows afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url(name: str) -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params["HOST"] or "127.0.0.1"
    return f"postgres://{params['USER']}{password}@{host}:{params['PORT'] or 5432}/{name}"


def client_env() -> dict[str, str]:
    """libpq's variables for pg_dump, createdb, pg_restore, dropdb."""
    params = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": params["HOST"] or "127.0.0.1",
        "PGPORT": str(params["PORT"] or 5432),
        "PGUSER": params["USER"],
    }
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return env


def run(*command: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**client_env(), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def manage(name: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py` against database `name`, as an operator runs it after a restore."""
    return run(
        sys.executable,
        "manage.py",
        *args,
        DJANGO_SETTINGS_MODULE="backend.settings.test",
        DATABASE_URL=database_url(name),
        **env,
    )


def head_of(output: str) -> str:
    """SEQUENCE:SHA256 from `access log intact: N rows; head SEQUENCE:SHA256`."""
    line = next(line for line in output.splitlines() if line.startswith("access log intact"))
    return line.rsplit("head ", 1)[1].strip()


@pytest.fixture
def restored() -> Iterator[str]:
    name = f"restore_{uuid.uuid4().hex[:10]}"
    yield name
    run("dropdb", "--if-exists", "--force", name)


def test_a_dump_restored_into_a_new_database_verifies_and_serves(tmp_path: Path, restored: str):
    source = connection.settings_dict["NAME"]
    team = team_with_coverage()
    member = member_of(team)
    worked = make_signal(state=Status.ACKNOWLEDGED, worker=member)
    make_signal(state=Status.ROUTED)
    make_signal()
    access_log_seal()
    counts = (Signal.objects.count(), SignalEvent.objects.count(), AccessLog.objects.count())
    assert counts[0] == 3 and counts[1] >= 5 and counts[2] >= 1
    assert not AccessLog.objects.filter(row_hash__isnull=True).exists()

    # Runbook step 1: verify the source and keep the head it prints, apart from the dump.
    checked = manage(source, "verify_access_log", "--no-seal")
    assert checked.returncode == 0, checked.stderr
    head = head_of(checked.stdout)

    # Step 2: the dump (custom format), and its restore into a new, empty database.
    dump = tmp_path / "buurtsignaal.dump"
    dumped = run("pg_dump", "--format=custom", "--no-owner", "--file", str(dump), source)
    assert dumped.returncode == 0, dumped.stderr
    created = run("createdb", restored)
    assert created.returncode == 0, created.stderr
    loaded = run("pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump))
    assert loaded.returncode == 0, loaded.stderr

    # Step 3: the chain, its triggers and the kept head, read only (--no-seal).
    verified = manage(restored, "verify_access_log", "--no-seal", "--expect-head", head)
    assert verified.returncode == 0, verified.stderr
    assert head_of(verified.stdout) == head
    assert f"{counts[2]} rows" in verified.stdout

    # Step 4: nothing is missing after migrate (the schema came with the dump).
    migrated = manage(restored, "migrate", "--check")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    # Step 5: the app serves from it, decrypting with the same FIELD_ENCRYPTION_KEYS.
    served = manage_script(restored, str(member.pk), str(worked.pk))
    assert served.returncode == 0, served.stderr
    answer = json.loads(served.stdout.strip().splitlines()[-1])
    assert (answer["ready"], answer["detail"]) == (200, 200), answer
    assert answer["body"]["id"] == str(worked.pk)
    assert answer["body"]["resident"]["first_name"] == "Wilhelmina"


def manage_script(name: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return run(
        sys.executable,
        str(Path(__file__).with_name("serve_once.py")),
        *args,
        DJANGO_SETTINGS_MODULE="backend.settings.test",
        DATABASE_URL=database_url(name),
        PYTHONPATH=str(ROOT),
        **env,
    )


def test_a_restore_older_than_the_kept_head_fails_and_lost_keys_lose_the_residents_data(
    tmp_path: Path, restored: str
):
    source = connection.settings_dict["NAME"]
    team = team_with_coverage()
    member = member_of(team)
    worked = make_signal(state=Status.ACKNOWLEDGED, worker=member)
    access_log_seal()
    dump = tmp_path / "older.dump"
    assert run("pg_dump", "--format=custom", "--file", str(dump), source).returncode == 0
    # Work goes on after the dump (a member reads the signal: an access-log row); the head kept
    # after it names a row the dump does not hold.
    assert token_client(member).get(f"/api/v1/signals/{worked.pk}").status_code == 200
    checked = manage(source, "verify_access_log")
    assert checked.returncode == 0, checked.stderr
    later_head = head_of(checked.stdout)
    assert run("createdb", restored).returncode == 0
    loaded = run("pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump))
    assert loaded.returncode == 0, loaded.stderr

    verified = manage(restored, "verify_access_log", "--no-seal", "--expect-head", later_head)
    assert verified.returncode == 1
    assert "head" in verified.stderr.lower()

    # Without the keys the chain still verifies (it hashes ciphertext), but the residents'
    # fields cannot be read: the restore has lost them.
    other_key = Fernet.generate_key().decode()
    intact = manage(restored, "verify_access_log", "--no-seal", FIELD_ENCRYPTION_KEYS=other_key)
    assert intact.returncode == 0, intact.stderr
    served = manage_script(
        restored, str(member.pk), str(worked.pk), FIELD_ENCRYPTION_KEYS=other_key
    )
    assert served.returncode == 0, served.stderr[-3000:]
    assert "FieldDecryptionError" in served.stderr
    answer = json.loads(served.stdout.strip().splitlines()[-1])
    assert answer["ready"] == 200
    assert answer["detail"] == 500, answer
