"""kill -9, SIGTERM and Ctrl-C (SIGINT with two workers) of real ``mmbench run`` processes:
nothing lost, nothing redone, no run left RUNNING, no new point after the signal, no process
left behind."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections import Counter

import pytest
from mlflow.tracking import MlflowClient

from mmbench.api import run
from tests.sweeps.helpers import (
    env,
    marked_processes,
    runs,
    start,
    train_runs,
    wait_for,
    write_spec,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _training(uri: str, pid: int | None = None, n: int = 1):
    """RUNNING train runs that have logged a training step (past their claim)."""
    client = MlflowClient(uri)
    found = []
    for r in train_runs(uri, "RUNNING"):
        if pid is not None and r.data.tags.get("mmbench.owner.pid") != str(pid):
            continue
        if client.get_metric_history(r.info.run_id, "train/loss"):
            found.append(r)
    return found if len(found) >= n else None


def _parent(uri: str):
    return next(r for r in runs(uri) if r.data.tags.get("mmbench.kind") == "sweep")


def test_kill_9_mid_point_then_rerun_loses_and_redoes_nothing(tmp_path, mlflow_uri):
    spec = write_spec(tmp_path, n_train=256, epochs=6)
    proc = start(["run", str(spec), "--no-report"], tmp_path, env(mlflow_uri), tmp_path / "log")
    wait_for(
        lambda: train_runs(mlflow_uri, "FINISHED") and _training(mlflow_uri, proc.pid),
        timeout=900,
        what="a finished point and one in training",
    )
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    before = {
        r.info.run_id: r.data.tags["mmbench.spec_hash"] for r in train_runs(mlflow_uri, "FINISHED")
    }
    victims = [r.info.run_id for r in train_runs(mlflow_uri, "RUNNING")]  # fmt: skip
    assert len(victims) == 1

    out = run(spec)  # the rerun
    assert victims[0] in out.reaped and _parent_status(mlflow_uri, proc.pid) == "KILLED"
    assert out.skipped == len(before) and len(out.outcomes) == 4 - len(before)
    victim = MlflowClient(mlflow_uri).get_run(victims[0])
    assert victim.info.status == "KILLED"
    assert f"process {proc.pid}" in victim.data.tags["mmbench.ended_because"]
    finished = train_runs(mlflow_uri, "FINISHED")
    assert all(rid in {r.info.run_id for r in finished} for rid in before)  # nothing lost
    assert set(Counter(r.data.tags["mmbench.spec_hash"] for r in finished).values()) == {1}
    assert len(finished) == 4  # nothing redone
    assert not train_runs(mlflow_uri, "RUNNING")
    assert not list((tmp_path / "mlartifacts").rglob(".*.tmp-*"))  # no half-written file


def _parent_status(uri: str, pid: int) -> str:
    parents = [r for r in runs(uri) if r.data.tags.get("mmbench.kind") == "sweep"]
    return next(r.info.status for r in parents if r.data.tags["mmbench.owner.pid"] == str(pid))


def _interrupt(tmp_path, uri: str, sig: int, workers: int) -> tuple[int, float, str]:
    """Start a long sweep, signal it once ``workers`` points train; (exit code, signal time in
    ms, test mark)."""
    spec = write_spec(tmp_path, n_train=256, epochs=40, seeds="[0, 1, 2]")
    mark = uuid.uuid4().hex
    args = ["run", str(spec), "--no-report", "--workers", str(workers)]
    proc = start(args, tmp_path, env(uri, mark=mark), tmp_path / "log")
    wait_for(lambda: _training(uri, n=workers), timeout=900, what=f"{workers} points training")
    sent_ms = time.time() * 1000
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C: the whole foreground group
    else:
        os.kill(proc.pid, sig)
    code = proc.wait(timeout=300)
    wait_for(lambda: not marked_processes(mark), timeout=120, what="no process left")
    return code, sent_ms, (tmp_path / "log").read_text()


def _check_clean_stop(uri: str, sent_ms: float, killed_at_least: int) -> None:
    trained = train_runs(uri)
    assert not [r for r in trained if r.info.status == "RUNNING"]
    killed = [r for r in trained if r.info.status == "KILLED"]
    assert len(killed) >= killed_at_least
    assert all(
        r.data.tags.get("mmbench.ended_because", "").startswith("interrupted") for r in killed
    )
    assert not [r for r in trained if r.info.start_time > sent_ms + 500]  # no new point started
    assert _parent(uri).info.status == "KILLED"


def test_ctrl_c_with_two_workers_stops_everything(tmp_path, mlflow_uri):
    code, sent_ms, log = _interrupt(tmp_path, mlflow_uri, signal.SIGINT, workers=2)
    assert code == 130, log[-3000:]
    assert "interrupted by SIGINT: the runs in progress are marked KILLED" in log
    assert "Traceback" not in log
    _check_clean_stop(mlflow_uri, sent_ms, killed_at_least=2)


def test_sigterm_marks_the_point_and_the_sweep_killed(tmp_path, mlflow_uri):
    code, sent_ms, log = _interrupt(tmp_path, mlflow_uri, signal.SIGTERM, workers=1)
    assert code == 143, log[-3000:]
    assert "interrupted by SIGTERM" in log and "Traceback" not in log
    _check_clean_stop(mlflow_uri, sent_ms, killed_at_least=1)
