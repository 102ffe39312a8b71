"""How many local worker processes a sweep uses: a number, or ``auto``.

``auto`` chooses between two splits of the cores: one process running the points one after
another with all cores' torch threads, or one worker per core (never more than points), each with
one torch thread. Which is faster depends on how much work the points hold, which the plan tells
before anything runs: a point's training work is its examples × epochs (:func:`point_work`, from
``dataset.kwargs.n_train``, capped by ``train.max_steps`` × ``train.batch_size``, times the
number of trainings of a tuned configuration). A small cost model predicts both wall times:

    one process:  P × (o + a₁ · W)
    w workers:    S + ⌈P / w⌉ × (o + a_w · W)

for P points of mean work W example-epochs: ``o`` a point's fixed time (data, evaluation,
logging), ``a₁`` / ``a_w`` the time of one example-epoch with all threads / in one of w one-thread
workers, ``S`` the fixed cost of going parallel (the workers' start-up: interpreter, imports,
store connections, contention). ``auto`` takes the split predicted faster; a point whose work is
unknown (a dataset without ``n_train``: real corpora are large) counts as large, so such sweeps
stay parallel as before.

The four constants are fitted, exactly (four timings, no degree of freedom left), to the
measurements of ``benchmarks/bench_scaleout.py`` part a on the 2-core reference machine
(2026-12-03; VQA on shapes, cnn + gru): 8 tiny points (192 examples × 2 epochs, dim 24) took
25.5 s with 1 worker × 2 threads against 27.9 s with 2 workers × 1 thread; 4 larger points
(1200 × 3, dim 64) took 42.9 s against 39.0 s. The model picks 1 worker for the first and 2
for the second (break-even: about 700 example-epochs a point for 8 points, 2600 for 4). The
difference in model width between the two sweeps is folded into ``a₁`` and ``a_w``, and other core
counts use the same constants: a rule from two measurements, to be refitted as more come in.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

from mmbench.errors import MmbenchError

AUTO = "auto"
# the cost model's constants (see the module docstring): seconds, and seconds per example-epoch
PARALLEL_START_S = 14.5  # S
POINT_FIXED_S = 2.29  # o
EXAMPLE_EPOCH_S_THREADS = 2.34e-3  # a₁: one process, all cores' threads
EXAMPLE_EPOCH_S_WORKER = 2.77e-3  # a_w: one one-thread worker of several


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def point_work(spec) -> int | None:
    """A point's training work in example-epochs (examples × epochs, see the module), or None
    when its dataset does not state ``n_train``."""
    n = spec.dataset.kwargs.get("n_train")
    if not isinstance(n, int) or isinstance(n, bool):
        return None
    work = n * spec.train.epochs
    if spec.train.max_steps:
        work = min(work, spec.train.max_steps * spec.train.batch_size)
    if getattr(spec, "tune", None) is not None:  # every trial trains, then each final seed
        work *= spec.tune.trials + len(spec.tune.seeds)
    return work


def predicted_seconds(points: int, workers: int, work: float) -> float:
    """The cost model's wall time of ``points`` points of ``work`` example-epochs each."""
    if workers <= 1:
        return points * (POINT_FIXED_S + EXAMPLE_EPOCH_S_THREADS * work)
    per_point = POINT_FIXED_S + EXAMPLE_EPOCH_S_WORKER * work
    return PARALLEL_START_S + math.ceil(points / workers) * per_point


def resolve_workers(
    workers: int | str, points: int, work: Sequence[int | None] | None = None
) -> int:
    """``workers`` as a count. ``auto``: 1, or min(points, available cores) when the cost
    model predicts that faster for points of ``work`` example-epochs each (one entry a point,
    see :func:`point_work`; None or a None entry: unknown, counted as large)."""
    if workers == AUTO:
        parallel = max(1, min(points, available_cores()))
        if parallel == 1 or not work or any(w is None for w in work):
            return parallel
        mean = sum(work) / len(work)
        faster = predicted_seconds(points, parallel, mean) < predicted_seconds(points, 1, mean)
        return parallel if faster else 1
    try:
        count = int(workers)
    except (TypeError, ValueError):
        count = 0
    if count < 1:
        raise MmbenchError(f"--workers: '{workers}' is neither a positive number nor 'auto'")
    return count
