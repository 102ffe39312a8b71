"""Who owns a RUNNING run, and whether that owner is still alive.

A run that mmbench starts carries its owner (host name, process id, and the process's start
token, which tells a reused pid apart) and a heartbeat (unix seconds) that the owner refreshes
while it works. A RUNNING run is *dead* when its owner is on this host and that process is gone
(or is another process with the same pid), or, for another host, when its heartbeat is older
than ``stale_after()`` seconds. A RUNNING run without owner tags (from an mmbench version before
claims) counts as dead once it started more than ``LEGACY_STALE_S`` ago.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Mapping

from mmbench.tracking import schema

HEARTBEAT_S = 30.0  # how often an owner refreshes its heartbeat
STALE_S = 600.0  # heartbeat age after which another host's run counts as dead
LEGACY_STALE_S = 24 * 3600.0


def heartbeat_every() -> float:
    return float(os.environ.get("MMBENCH_HEARTBEAT_S", HEARTBEAT_S))


def stale_after() -> float:
    return float(os.environ.get("MMBENCH_STALE_AFTER_S", STALE_S))


def host() -> str:
    return socket.gethostname()


def process_token(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot, Linux); None if no such
    process; "" where the platform cannot tell (then only the pid is compared)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            stat = fh.read()
    except FileNotFoundError:
        return None
    except OSError:
        stat = ""
    if stat:  # the command name (field 2) may hold spaces: split after its closing paren
        fields = stat[stat.rfind(")") + 2 :].split()
        return fields[19] if len(fields) > 19 else ""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return ""


def owner_tags() -> dict[str, str]:
    """Tags naming this process as a run's owner, with a fresh heartbeat."""
    pid = os.getpid()
    return {
        schema.OWNER_HOST: host(),
        schema.OWNER_PID: str(pid),
        schema.OWNER_START: process_token(pid) or "",
        schema.HEARTBEAT: f"{time.time():.0f}",
    }


def is_dead(tags: Mapping[str, str], start_time_ms: int | None, now: float | None = None) -> bool:
    """Whether the owner of a RUNNING run with ``tags`` is gone (see the module docstring)."""
    now = time.time() if now is None else now
    pid = tags.get(schema.OWNER_PID)
    if not pid or not pid.isdigit():
        started = (start_time_ms or 0) / 1000
        return now - started > LEGACY_STALE_S
    if tags.get(schema.OWNER_HOST) == host():
        token = process_token(int(pid))
        if token is None:
            return True
        recorded = tags.get(schema.OWNER_START, "")
        return bool(token and recorded and token != recorded)
    try:
        beat = float(tags.get(schema.HEARTBEAT, "0"))
    except ValueError:
        beat = 0.0
    return now - beat > stale_after()


def describe(tags: Mapping[str, str]) -> str:
    pid, where = tags.get(schema.OWNER_PID), tags.get(schema.OWNER_HOST)
    if not pid:
        return "a run without an owner (an older mmbench)"
    return f"process {pid} on {where}"
