"""How many local worker processes a sweep uses: a number, or ``auto``.

``auto`` runs one worker per available core, each with one torch thread, and never more workers
than points. Measured on 2 cores (``benchmarks/bench_scaleout.py``, part a): for the small
models mmbench sweeps, one process per core beat one process using every core's threads both
for 8 tiny points and for 4 larger ones, because intra-op threading gains little on small
tensors while separate processes overlap data preparation, evaluation and logging too.
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
