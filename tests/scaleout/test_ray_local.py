"""Sweep points as Ray tasks on a local Ray instance (loopback), with workers killed mid-point."""

from __future__ import annotations

import pytest

from mmbench.api import run
from mmbench.tracking import schema
from tests.scaleout import raykit

raykit.loopback_env()
ray = pytest.importorskip("ray")
pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _counted(runs):
    """spec hash → number of FINISHED runs that count (not deleted, not superseded)."""
    counts: dict[str, int] = {}
    for r in runs:
        if r.info.status == "FINISHED" and r.info.lifecycle_stage == "active":
            h = r.data.tags[schema.SPEC_HASH]
            counts[h] = counts.get(h, 0) + 1
    return counts


def test_killed_worker_is_retried_nothing_lost_or_duplicated(tmp_path, mlflow_uri):
    spec = raykit.write_spec(tmp_path)
    killer = raykit.Killer(mlflow_uri)
    killer.start()
    out = run(spec)
    killer.done.set()
    assert killer.killed is not None, "no worker was killed: the test proved nothing"
    assert not out.failures and len(out.outcomes) == 2
    runs = raykit.train_runs(mlflow_uri)
    counts = _counted(runs)
    assert len(counts) == 2 and set(counts.values()) == {1}  # nothing lost, nothing twice
    dead = next(r for r in runs if r.info.run_id == killer.killed[0])
    assert dead.info.status == "KILLED"
    assert "retried" in dead.data.tags[schema.ENDED_BECAUSE]
    retry = [r for r in runs if r.data.tags[schema.RAY_TASK] == dead.data.tags[schema.RAY_TASK]]
    assert len(retry) == 2 and {r.info.status for r in retry} == {"KILLED", "FINISHED"}
    assert all(r.data.tags.get(schema.RAY_NODE) for r in runs)
    again = run(spec)  # finished configurations never run again
    assert again.skipped == 2 and not again.outcomes
    assert len(raykit.train_runs(mlflow_uri)) == len(runs)


def test_worker_dying_on_every_attempt_fails_the_point_and_the_sweep_goes_on(tmp_path, mlflow_uri):
    spec = raykit.write_spec(tmp_path)
    killer = raykit.Killer(mlflow_uri)
    killer.start()
    out = run(spec, ["execution.max_retries=0", "tracking.experiment=ray_sweep"])
    killer.done.set()
    assert killer.killed is not None
    assert len(out.outcomes) == 1 and len(out.failures) == 1
    assert "Ray worker died (1 attempt)" in out.failures[0][1]
    failed = [r for r in raykit.train_runs(mlflow_uri) if r.info.status == "FAILED"]
    assert [r.info.run_id for r in failed] == [killer.killed[0]]
    assert "Ray worker died" in failed[0].data.tags[schema.ENDED_BECAUSE]
