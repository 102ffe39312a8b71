"""``mmbench ui``: MLflow's UI server on the same store, ended with mmbench.

``mlflow ui`` starts a process tree (uvicorn, a job runner, huey consumers). It runs here in
its own process group; SIGINT or SIGTERM to mmbench is forwarded to the whole tree (group and
every descendant found under ``/proc``), which gets ``GRACE_S`` seconds to stop before it is
killed. On Linux the server also gets SIGTERM if mmbench itself is killed (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mmbench import interrupts
from mmbench.tracking.store import artifact_root, init_store, resolve_uri

GRACE_S = 10.0


def ui_command(uri: str, port: int, host: str = "127.0.0.1") -> list[str]:
    cmd = [sys.executable, "-m", "mlflow", "ui", "--backend-store-uri", uri]
    cmd += ["--host", host, "--port", str(port), "--workers", "1"]
    root = artifact_root(uri)
    if root:
        cmd += ["--default-artifact-root", root]
    return cmd


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux ``/proc``; empty elsewhere)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            ppid = int(text[text.rfind(")") + 2 :].split()[1])
            children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # a zombie has ended
        text = Path(f"/proc/{pid}/stat").read_text()
        return text[text.rfind(")") + 2] != "Z"
    return True


def _signal_all(group: int, pids: set[int], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, sig)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def stop_tree(proc: subprocess.Popen, grace: float = GRACE_S) -> None:
    """SIGTERM ``proc``'s group and every descendant; SIGKILL what is left after ``grace``."""
    pids = descendants(proc.pid) | {proc.pid}
    _signal_all(proc.pid, pids, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=0.2)
        pids |= descendants(proc.pid) if proc.poll() is None else set()
        if not any(_alive(p) for p in pids):
            break
    _signal_all(proc.pid, {p for p in pids if _alive(p)}, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _child_setup() -> None:
    interrupts.die_with_parent(signal.SIGTERM)


def serve_ui(
    tracking_uri: str | None, port: int, on_start: Callable[[str], None] | None = None
) -> int:
    """Run the MLflow UI on the store until it exits or mmbench gets SIGINT/SIGTERM; return
    the exit code (the server's, or 128 + the signal number)."""
    uri = resolve_uri(tracking_uri)
    init_store(uri)
    with interrupts.raise_on_signals():
        proc = subprocess.Popen(
            ui_command(uri, port), start_new_session=True, preexec_fn=_child_setup
        )
        try:
            if on_start is not None:
                on_start(uri)
            return proc.wait()
        except KeyboardInterrupt as exc:
            return getattr(exc, "exit_code", 130)
        finally:
            stop_tree(proc)
