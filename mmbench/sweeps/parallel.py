"""Sweep points in parallel local processes, stopped promptly and completely on a signal.

Workers are spawned (no forked torch/MLflow state) and fed one point at a time, so nothing is
queued that could start after an interrupt. On SIGINT/SIGTERM in the parent (``Interrupted``),
the parent sends SIGTERM to every worker: a worker in a point ends its run KILLED and exits, an
idle one exits at once (:mod:`mmbench.interrupts`); workers still alive after
``GRACE_S`` are killed, and the caller marks their runs KILLED.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from mmbench import interrupts
from mmbench.sweeps.point import PointJob, run_point

GRACE_S = 20.0


def run_parallel(todo: list[tuple[str, PointJob]], workers: int, collect) -> None:
    """Run ``todo`` in ``workers`` processes; ``collect(label, outcome, error)`` per point."""
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=interrupts.worker_init)
    pending = iter(todo)
    running: dict = {}

    def submit_next() -> None:
        item = None if interrupts.stopping() else next(pending, None)
        if item is None:
            return
        try:
            running[pool.submit(run_point, item[1])] = item[0]
        except BrokenProcessPool:  # a worker died: nothing more can start
            for label, _ in [item, *pending]:
                collect(label, None, "not run: a worker process died")

    try:
        for _ in range(workers):
            submit_next()
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                label = running.pop(fut)
                try:
                    outcome, error = fut.result()
                except Exception as exc:  # a worker died (out of memory, killed)
                    outcome, error = None, f"worker failed: {exc!r}"
                collect(label, outcome, error)
                submit_next()
    except KeyboardInterrupt:
        stop_workers()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def stop_workers(grace: float = GRACE_S) -> None:
    """SIGTERM every worker, wait up to ``grace`` seconds for them to end, then kill."""
    children = multiprocessing.active_children()
    for p in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for p in children:
        p.join(timeout=max(0.0, deadline - time.monotonic()))
    for p in children:
        if p.is_alive():
            p.kill()
            p.join(timeout=5)
