"""`make bench-profile`: py-spy against the running gunicorn workers while wrk drives one path
at a time (intake, GET /me, signal detail), with the same stack and 10k data set as the bench.

Each path gives bench/results/profiles/<path>.speedscope.json (open it at speedscope.app or
any speedscope viewer) and <path>.txt, a summary of where the request time goes. Sampling
includes idle threads, so a worker waiting on PostgreSQL is counted; samples outside a request
(gunicorn waiting for the next connection) are left out of every share.
"""

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench import config, database, measures
from bench.context import Run
from bench.harness import _login, _require_tools
from bench.stack import Stack, flush_redis

PROFILES = config.RESULTS / "profiles"
SECONDS = 20
RATE = 200  # samples per second per process

# (category, test on one frame (name, file)); a sample counts for a category when any frame of
# its stack matches, so categories overlap (auth's query is also a query).
PROJECT = ("accounts/", "signals/", "privacy/", "notifications/", "backend/", "audit/")


def _is(name: str, file: str, *, names: tuple[str, ...] = (), files: tuple[str, ...] = ()) -> bool:
    return (not names or _bare(name) in names) and (not files or any(f in file for f in files))


def _bare(name: str) -> str:
    """py-spy names methods Class.method; the rules match the function name alone."""
    return name.rsplit(".", 1)[-1]


CATEGORIES = [
    (
        "authentication (DRF perform_authentication: JWT + session lookup)",
        lambda n, f: _is(
            n, f, names=("perform_authentication",), files=("rest_framework/views.py",)
        ),
    ),
    (
        "permission checks",
        lambda n, f: _is(n, f, names=("check_permissions",), files=("rest_framework/views.py",)),
    ),
    (
        "throttle",
        lambda n, f: _is(n, f, names=("check_throttles",), files=("rest_framework/views.py",)),
    ),
    (
        "access-log row (access_log_record: one unsealed insert, no lock)",
        lambda n, f: _bare(n) == "access_log_record",
    ),
    (
        "encryption (Fernet encrypt/decrypt)",
        lambda n, f: _is(n, f, names=("encrypt_text", "decrypt_text")) or "cryptography/" in f,
    ),
    (
        "serializers (input validation and output)",
        lambda n, f: _is(n, f, files=("rest_framework/serializers.py", "rest_framework/fields.py")),
    ),
    ("JSON rendering", lambda n, f: "rest_framework/renderers.py" in f),
    (
        "SQL (Django db layer and psycopg, waiting included)",
        lambda n, f: "django/db/backends/" in f or "/psycopg/" in f,
    ),
    (
        "transaction commit",
        lambda n, f: _is(n, f, names=("commit", "__exit__"), files=("django/db/transaction.py",)),
    ),
    (
        "Redis and broker (cache, throttle, enqueue)",
        lambda n, f: any(x in f for x in ("/redis/", "/kombu/", "/celery/")),
    ),
    ("logging", lambda n, f: "logging/__init__.py" in f or "json_logging.py" in f),
    ("URL resolving", lambda n, f: "django/urls/resolvers.py" in f),
]
VIEW = ("dispatch", "rest_framework/views.py")
TOTAL = "all"
OUTSIDE_VIEW = "middleware and handler, outside the DRF view"
WAITING = "waiting on PostgreSQL or Redis (leaf in the drivers' socket I/O)"


def _waiting(leaf: tuple[str, str, int]) -> bool:
    """A leaf in psycopg or redis-py's socket I/O: the worker waits on PostgreSQL or Redis (the
    drivers' own Python work there is small)."""
    file = leaf[1]
    return (
        "/psycopg/" in file
        or "redis/_parsers/socket.py" in file
        or ("redis/connection.py" in file and "send" in leaf[0])
    )


def analyse(path: Path) -> tuple[Counter, Counter, Counter, Counter]:
    """Seconds of samples inside requests per category, as wall time (waiting included) and
    as the time the worker ran Python (leaves outside the drivers' socket waits); own time per
    leaf function and inclusive time per project function. Key TOTAL holds the whole."""
    data = json.loads(path.read_text())
    frames = [
        (f["name"], f.get("file", "") or "", f.get("line", 0)) for f in data["shared"]["frames"]
    ]
    wall, cpu = Counter(), Counter()
    leaves, inclusive = Counter(), Counter()
    for profile in data["profiles"]:
        for stack, weight in zip(profile["samples"], profile["weights"], strict=True):
            names = [frames[i] for i in stack]  # root first
            if not any(_bare(n) == "__call__" and "wsgi.py" in f for n, f, _ in names):
                continue  # gunicorn waiting for a connection, or another thread
            waiting = _waiting(names[-1])
            matched = [label for label, test in CATEGORIES if any(test(n, f) for n, f, _ in names)]
            if not any(_bare(n) == VIEW[0] and VIEW[1] in f for n, f, _ in names):
                matched.append(OUTSIDE_VIEW)
            if waiting:
                matched.append(WAITING)
            for label in [TOTAL, *matched]:
                wall[label] += weight
                if not waiting:
                    cpu[label] += weight
            leaf = names[-1]
            leaves[f"{leaf[0]} ({_short(leaf[1])}:{leaf[2]})"] += weight
            for n, f in {(n, f) for n, f, _ in names}:
                if any(p in f for p in PROJECT) and "/site-packages/" not in f:
                    inclusive[f"{n} ({_short(f)})"] += weight
    return wall, cpu, leaves, inclusive


def summarise(path: Path, top: int = 15) -> str:
    """The text summary of one profile (see analyse)."""
    wall, cpu, leaves, inclusive = analyse(path)
    if not wall[TOTAL]:
        return f"{path.name}: no samples inside a request\n"

    def share(counter: Counter, label: str) -> str:
        return f"{100 * counter[label] / counter[TOTAL]:5.1f} %" if counter[TOTAL] else "    - "

    lines = [
        f"{path.name.split('.')[0]}: {wall[TOTAL]:.1f} s of samples inside requests, "
        f"{100 * cpu[TOTAL] / wall[TOTAL]:.0f} % of them running Python",
        "",
        "   wall   python  category (a sample counts for every category on its stack)",
    ]
    for label, _ in wall.most_common():
        if label != TOTAL:
            lines.append(f"{share(wall, label)}  {share(cpu, label)}  {label}")
    lines += ["", f"top {top} functions by own time (leaf frames, wall):"]
    lines += [f"{share_of(v, wall)}  {name}" for name, v in leaves.most_common(top)]
    lines += ["", f"top {top} project functions by inclusive time (wall):"]
    lines += [f"{share_of(v, wall)}  {name}" for name, v in inclusive.most_common(top)]
    return "\n".join(lines) + "\n"


def share_of(value: float, counter: Counter) -> str:
    return f"{100 * value / counter[TOTAL]:5.1f} %"


def _short(file: str) -> str:
    for marker in ("/site-packages/", str(config.ROOT) + "/", "/lib/python3.11/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def main() -> int:
    _require_tools()
    spy = config.BIN / "py-spy"
    if not spy.exists():
        raise SystemExit("py-spy is missing: `make install` installs the dev dependencies")
    PROFILES.mkdir(parents=True, exist_ok=True)
    config.RUN_DIR.mkdir(parents=True, exist_ok=True)
    flush_redis()
    name = f"{config.DB_PREFIX}_profile"
    database.build(name, config.SMALL)
    stack = Stack(name, "profile")
    try:
        stack.start_web()
        run = Run(mode=config.QUICK, stack=stack, database=name, manifest=database.manifest(name))
        _login(run)
        spec = measures.warm_up(run)
        summaries = []
        for path in ("intake", "me", "detail"):
            out = PROFILES / f"{path}.speedscope.json"
            argv = [
                str(spy),
                "record",
                "--pid",
                str(stack.procs["web"].pid),
                "--subprocesses",
                "--idle",
                "--nonblocking",
                "--rate",
                str(RATE),
                "--duration",
                str(SECONDS),
                "--format",
                "speedscope",
                "--output",
                str(out),
            ]
            recorder = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(1)  # py-spy attaches to the master and its workers
            result = measures._http(run, spec, path, SECONDS - 2)
            recorder.wait(timeout=60)
            text = f"{result['rps']:.0f} req/s under the profiler\n" + summarise(out)
            (PROFILES / f"{path}.txt").write_text(text)
            summaries.append(text)
            print(text)
        (PROFILES / "summary.txt").write_text("\n".join(summaries))
    finally:
        stack.stop_all()
        database.drop(name)
        flush_redis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
