"""A description of the machine a run measured on, stored with its results."""

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench import config, database
from bench.stack import redis_client


def _first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return ""
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else ""
    )


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def describe() -> dict[str, object]:
    mem_kib = int(_first("/proc/meminfo", "MemTotal").split()[0] or 0)
    commit = _version(["git", "-C", str(config.ROOT), "rev-parse", "--short", "HEAD"])
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu_model": _first("/proc/cpuinfo", "model name"),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "load_average_at_start": Path("/proc/loadavg").read_text().split()[:3],
        "postgresql": database.server_versions()["postgresql"],
        "redis": redis_client().info("server")["redis_version"],
        "python": platform.python_version(),
        "os": _os_name(),
        "wrk": _version(["wrk", "--version"]).split(" [")[0],
        "pgbench": _version(["pgbench", "--version"]),
        "git_commit": commit,
    }
