"""``--workers auto`` picks the split of the cores that ``benchmarks/bench_scaleout.py`` part a
measured faster, from the plan alone (the rule is fitted to those two measurements)."""

from __future__ import annotations

import pytest

from mmbench.spec import load_plan
from mmbench.sweeps import workers
from mmbench.sweeps.workers import point_work, resolve_workers

# the benchmark's sweeps (part a), as its BASE and SIZES write them
BENCH = """
name: bench
task: vqa
dataset: {{name: shapes, kwargs: {{n_train: {n}, n_val: 64, n_test: 64, seed: 3}}}}
model:
  dim: {dim}
  encoders: {{image: {{name: cnn}}, text: {{name: gru}}}}
  head: {{name: classifier, kwargs: {{hidden: {dim}}}}}
train: {{epochs: {epochs}, batch_size: 32, seed: 0, log_every: 5}}
sweep: {{train.seed: {seeds}}}
"""


@pytest.fixture
def two_cores(monkeypatch):
    monkeypatch.setattr(workers, "available_cores", lambda: 2)  # the reference machine


def _auto(write, n: int, dim: int, epochs: int, points: int) -> int:
    plan = load_plan(write(BENCH.format(n=n, dim=dim, epochs=epochs, seeds=list(range(points)))))
    assert len(plan.specs) == points
    return resolve_workers("auto", points, [point_work(s) for s in plan.specs])


def test_eight_tiny_points_run_in_one_worker_with_both_threads(write, two_cores):
    # measured: 1 worker x 2 threads 25.5 s, 2 workers x 1 thread 27.9 s
    assert _auto(write, n=192, dim=24, epochs=2, points=8) == 1


def test_four_larger_points_run_in_two_one_thread_workers(write, two_cores):
    # measured: 1 worker x 2 threads 42.9 s, 2 workers x 1 thread 39.0 s
    assert _auto(write, n=1200, dim=64, epochs=3, points=4) == 2


def test_the_cost_model_reproduces_the_four_measured_times():
    assert workers.predicted_seconds(8, 1, 192 * 2) == pytest.approx(25.5, abs=0.1)
    assert workers.predicted_seconds(8, 2, 192 * 2) == pytest.approx(27.9, abs=0.1)
    assert workers.predicted_seconds(4, 1, 1200 * 3) == pytest.approx(42.9, abs=0.1)
    assert workers.predicted_seconds(4, 2, 1200 * 3) == pytest.approx(39.0, abs=0.1)


def test_many_tiny_points_amortise_the_start_up_and_go_parallel(two_cores):
    assert resolve_workers("auto", 8, [384] * 8) == 1
    assert resolve_workers("auto", 100, [384] * 100) == 2


def test_unknown_work_counts_as_large_and_numbers_are_taken_as_given(two_cores):
    assert resolve_workers("auto", 8) == 2
    assert resolve_workers("auto", 8, [384] * 7 + [None]) == 2
    assert resolve_workers("auto", 1, [10**6]) == 1
    assert resolve_workers(2, 8, [384] * 8) == 2  # an explicit count is never second-guessed


def test_point_work_is_examples_times_epochs_capped_by_max_steps(write):
    base = BENCH.format(n=1200, dim=16, epochs=3, seeds=[0])
    assert point_work(load_plan(write(base)).specs[0]) == 3600
    capped = load_plan(write(base), ["train.max_steps=10"]).specs[0]
    assert point_work(capped) == 10 * 32
    unknown = load_plan(write(base.replace("n_train: 1200, ", ""), "u.yaml")).specs[0]
    assert point_work(unknown) is None
