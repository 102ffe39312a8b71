"""How many local worker processes a sweep uses: a number, or ``auto``.

``auto`` runs one worker per available core, each with one torch thread, and never more workers
than points. The rule follows measurements on a 2-core machine
(``benchmarks/bench_scaleout.py``, part a, 2026-12-03): 2 workers × 1 thread took 39.0 s
against 42.9 s for 1 worker × 2 threads on 4 larger points (intra-op threads gain little on
small tensors, while separate processes also overlap data preparation, evaluation and
logging), but 27.9 s against 25.5 s on 8 tiny points, where a worker's start-up outweighs the
point.
"""

from __future__ import annotations

import os

from mmbench.errors import MmbenchError

AUTO = "auto"


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def resolve_workers(workers: int | str, points: int) -> int:
    """``workers`` as a count: ``auto`` → min(points, available cores), at least 1."""
    if workers == AUTO:
        return max(1, min(points, available_cores()))
    try:
        count = int(workers)
    except (TypeError, ValueError):
        count = 0
    if count < 1:
        raise MmbenchError(f"--workers: '{workers}' is neither a positive number nor 'auto'")
    return count
