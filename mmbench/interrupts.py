"""SIGINT and SIGTERM during a sweep: stop promptly and leave the store clean.

While a sweep runs (``raise_on_signals``), both signals raise :class:`Interrupted` (a
``KeyboardInterrupt``) in the main thread, so the point in progress is ended KILLED, the sweep
parent too, and no new point starts (``stopping()``). Worker processes ignore SIGINT (a Ctrl-C
in a terminal reaches the whole process group; the parent coordinates) and turn SIGTERM, which
the parent sends them, into the same exception; on Linux each worker also gets SIGTERM when
its parent dies, even by ``kill -9``, so no worker outlives the sweep.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator

_stopping = threading.Event()
_state = {"worker": False, "in_point": False}
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """A sweep stopped by a signal; ``exit_code`` is the shell's 128 + signal number."""

    def __init__(self, signum: int = signal.SIGINT):
        self.signum = int(signum)
        super().__init__(f"interrupted by {signal.Signals(self.signum).name}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def stopping() -> bool:
    """True once this process received SIGINT or SIGTERM during a sweep."""
    return _stopping.is_set()


def _raise(signum: int, frame) -> None:
    _stopping.set()
    raise Interrupted(signum)


def _worker_signal(signum: int, frame) -> None:
    """In a worker: idle → exit at once; in a point → raise once (the point ends KILLED, then
    the worker exits); a repeated signal during that cleanup is ignored."""
    if not _state["in_point"]:
        os._exit(128 + signum)
    if _stopping.is_set():
        return
    _stopping.set()
    raise Interrupted(signum)


def in_worker() -> bool:
    return _state["worker"]


@contextlib.contextmanager
def point_running() -> Iterator[None]:
    """Marks the time a point runs (a worker's signal handler raises only then)."""
    _state["in_point"] = True
    try:
        yield
    finally:
        _state["in_point"] = False


@contextlib.contextmanager
def raise_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise ``Interrupted`` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _stopping.clear()
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    for s in SIGNALS:
        signal.signal(s, _raise)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def die_with_parent(signum: int = signal.SIGTERM) -> None:
    """Ask Linux to send ``signum`` to this process when its parent dies (PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signum), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request took effect
        os.kill(os.getpid(), signum)


def worker_init() -> None:
    """Initializer of sweep worker processes (see the module docstring)."""
    _stopping.clear()
    _state["worker"] = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_signal)
    die_with_parent(signal.SIGTERM)
