"""Two identical sweeps started at once (one with two workers) run each point exactly once."""

from __future__ import annotations

from collections import Counter

import pytest
from mlflow.tracking import MlflowClient

from mmbench.reporting import leaderboard, runs_frame
from tests.sweeps.helpers import env, runs, start, train_runs, write_spec

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_two_sweeps_at_once_run_every_configuration_once(tmp_path, mlflow_uri):
    spec = write_spec(tmp_path, n_train=256, epochs=4)  # 2 fusions × 2 seeds, a fresh store
    args = ["run", str(spec), "--no-report"]
    procs = [
        start(args + extra, tmp_path, env(mlflow_uri), tmp_path / f"{i}.log")
        for i, extra in enumerate([[], ["--workers", "2"]])
    ]
    for i, proc in enumerate(procs):
        assert proc.wait(timeout=1200) == 0, (tmp_path / f"{i}.log").read_text()[-3000:]
    finished = train_runs(mlflow_uri, "FINISHED")
    per_config = Counter(r.data.tags["mmbench.spec_hash"] for r in finished)
    assert len(per_config) == 4, per_config
    assert set(per_config.values()) == {1}, per_config  # none run twice
    assert not train_runs(mlflow_uri, "RUNNING")
    # losers withdrew: their runs are deleted, never counted
    withdrawn = [r for r in runs(mlflow_uri, deleted=True) if r.info.lifecycle_stage == "deleted"]
    assert all("withdrawn" in r.data.tags.get("mmbench.ended_because", "") for r in withdrawn)
    logs = "".join((tmp_path / f"{i}.log").read_text() for i in range(2))
    assert logs.count("done: ") == 4  # each point reported done by exactly one of the two
    board = leaderboard(runs_frame(MlflowClient(mlflow_uri), "claims"))
    assert sorted(board.table["n"]) == [2, 2]


def test_two_sweeps_racing_point_by_point_run_each_configuration_once(tmp_path, mlflow_uri):
    """The same race without process start-up in between: both sweeps claim every point at
    the same moment, so each claim is contested."""
    import threading

    from mmbench.api import run, validate
    from mmbench.tracking.store import init_store

    plan = validate(write_spec(tmp_path))
    init_store(mlflow_uri)
    outs, errors = [], []
    barrier = threading.Barrier(2)

    def sweep() -> None:
        try:
            barrier.wait(timeout=60)
            outs.append(run(plan))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=1200)
    assert not errors, errors
    ran = sorted(len(o.outcomes) for o in outs)
    assert sum(ran) == 4 and sum(o.skipped for o in outs) == 4, ran
    per_config = Counter(
        r.data.tags["mmbench.spec_hash"] for r in train_runs(mlflow_uri, "FINISHED")
    )
    assert len(per_config) == 4 and set(per_config.values()) == {1}, per_config
    withdrawn = [r for r in runs(mlflow_uri, deleted=True) if r.info.lifecycle_stage == "deleted"]
    assert len(withdrawn) == 4  # every point was claimed by both; each loser withdrew
