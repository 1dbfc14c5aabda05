"""Processes the bench and the fault harness start, the signals the harness sends them, and
their memory.

Every process runs in its own session (process group), so stopping or SIGKILLing "the worker"
takes its pool children with it, as when a container dies, and nothing outlives the run. Ports
are free loopback ports. Peak memory is read from /proc (VmHWM, the high-water mark of resident
memory), so a peak between two samples is not missed.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(
    condition: Callable[[], Any], *, timeout: float, interval: float = 0.1, what: str = ""
) -> Any:
    """Polls until `condition()` is truthy and returns it; raises TimeoutError after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
        except Exception:  # a server that is still starting may refuse or reset connections
            result = None
        if result:
            return result
        if time.monotonic() >= deadline:
            raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what or condition}")
        time.sleep(interval)


def children_of(pid: int) -> list[int]:
    """Direct child processes of `pid` (from /proc, no psutil needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name sits in parentheses and may contain spaces: split after it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak so far) of a process, in KiB; empty when it is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    values = {}
    for line in lines:
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class Proc:
    """One started process with its log file. `name` appears in failure messages."""

    name: str
    argv: Sequence[str]
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    popen: subprocess.Popen | None = None

    def start(self) -> "Proc":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                list(self.argv),
                cwd=self.cwd,
                env=self.env or None,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} was never started"
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def exit_code(self) -> int | None:
        return None if self.popen is None else self.popen.poll()

    def text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def tail(self, chars: int = 4000) -> str:
        return f"--- {self.name} ({self.log}) ---\n{self.text()[-chars:]}"

    # -- faults ---------------------------------------------------------------------------------

    def signal_group(self, signum: int) -> None:
        """Sends `signum` to the whole process group (the process and its children)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signum)

    def freeze(self) -> None:
        self.signal_group(signal.SIGSTOP)

    def thaw(self) -> None:
        self.signal_group(signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL to the process and its children, as when the container dies."""
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=10)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM (after a SIGCONT, in case it was frozen), then SIGKILL if it lingers."""
        if self.popen is None or self.popen.poll() is not None:
            self.signal_group(signal.SIGKILL)  # orphaned children of a dead leader
            return
        self.signal_group(signal.SIGCONT)
        self.signal_group(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.popen.wait(timeout=10)
        self.signal_group(signal.SIGKILL)


def stop_all(procs: list[Proc], timeout: float = 10) -> None:
    """Like Proc.stop for many processes, in parallel."""
    for proc in procs:
        if proc.alive():
            proc.signal_group(signal.SIGCONT)
            proc.signal_group(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for proc in procs:
        if proc.popen is None:
            continue
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
        proc.signal_group(signal.SIGKILL)  # what lingers, and orphaned children
        proc.popen.wait(timeout=10)


def run(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> str:
    """Runs a command to completion; raises with its output when it fails."""
    done = subprocess.run(
        list(argv), env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, argv))} failed ({done.returncode}):\n{done.stdout[-3000:]}\n"
            f"{done.stderr[-3000:]}"
        )
    return done.stdout
