"""wrk, the load generator of the throughput and latency measures (docs/adr/0021): a C
event loop that costs the machine little next to the server it loads, with Lua scripts for the
bearer tokens and unique client_uuids."""

import json
import os
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

from bench import config

LUA = config.ROOT / "bench" / "lua"


def require() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed: `make bench` installs it (apt-get install wrk), or install "
            "the Debian package wrk yourself"
        )


def _lua_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "{" + ", ".join(_lua_value(item) for item in value) + "}"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    assert "]==]" not in text
    return f"[==[{text}]==]"  # a long bracket: no escapes to translate


def write_data(name: str, **data: Any) -> Path:
    path = config.RUN_DIR / f"wrk-{name}.lua"
    fields = ",\n".join(f"  {key} = {_lua_value(value)}" for key, value in data.items())
    path.write_text("bench_data = {\n" + fields + "\n}\n")
    return path


def body_template(body: dict[str, Any]) -> str:
    """The intake body as a Lua format string: client_uuid, postcode and house number become
    %s, %s and %d."""
    body = json.loads(json.dumps(body))
    body["client_uuid"] = "@UUID@"
    body["address"]["postcode"] = "@POSTCODE@"
    body["address"]["house_number"] = -424242
    text = json.dumps(body).replace("%", "%%")
    return text.replace('"@UUID@"', '"%s"').replace('"@POSTCODE@"', '"%s"').replace("-424242", "%d")


def run(
    script: str, url: str, data: Path, *, seconds: float, connections: int = config.CONNECTIONS
) -> dict[str, float]:
    """One wrk run; returns requests/s, error counts and latency percentiles (ms)."""
    threads = min(2, connections)
    env = {**os.environ, "BENCH_WRK_DATA": str(data), "BENCH_WRK_LIB": str(LUA / "common.lua")}
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA / script),
        url,
    ]
    done = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    seconds_run = raw["duration_us"] / 1e6
    return {
        "rps": raw["requests"] / seconds_run,
        "requests": raw["requests"],
        "seconds": seconds_run,
        "errors": errors,
        "non_2xx": raw["status"],
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "mean_ms": raw["mean_us"] / 1000,
    }


def prefix() -> str:
    """A fresh first group for the client_uuids of one wrk run."""
    return secrets.token_hex(4)
