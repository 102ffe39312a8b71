"""The README's "Adding a metric" recipe, followed literally: register a toy metric with its
declaration and see every reader pick it up — `mmbench ls`, the leaderboard's direction and
order, the statistics' choice of test, and a task that lists it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from mmbench.cli import cli
from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.info import ScoreInfo, declares
from mmbench.registry import METRICS
from mmbench.reporting import significance
from mmbench.reporting.leaderboard import higher_is_better, leaderboard


def my_err(predictions, references) -> MetricResult:
    """Toy error rate: the fraction of predictions that differ from their reference."""
    per = np.array([float(p != r) for p, r in zip(predictions, references)])
    return MetricResult(
        scores={"my_err": float(per.mean()) if len(per) else 0.0},
        per_example={"my_err": per},
        fingerprint=Fingerprint("my_err", "1", "toy"),
    )


@pytest.fixture
def registered(monkeypatch):
    METRICS.names()  # load the real registrations first
    fn = declares(ScoreInfo("my_err", higher_is_better=False))(my_err)
    monkeypatch.setitem(METRICS._items, "my_err", fn)
    return fn


def test_ls_lists_it_with_its_direction(registered):
    out = CliRunner().invoke(cli, ["ls", "metrics"]).output
    assert "my_err" in out and "Toy error rate" in out and "my_err ↓ mean" in out


def test_leaderboard_and_statistics_read_its_declaration(registered):
    assert higher_is_better("test/my_err") is False and significance.testable("my_err")
    runs = pd.DataFrame(
        {
            "run_id": ["a", "b", "c", "d"],
            "run_name": ["x", "x", "y", "y"],
            "status": ["FINISHED"] * 4,
            "tags.mmbench.group": ["gx", "gx", "gy", "gy"],
            "tags.mmbench.label": ["x", "x", "y", "y"],
            "params.seed": ["0", "1", "0", "1"],
            "metrics.test/my_err": [0.5, 0.4, 0.2, 0.1],
        }
    )
    board = leaderboard(runs)
    assert board.metrics == ["test/my_err"]
    assert list(board.table["label"]) == ["y", "x"], "lower is better: y leads"


def test_a_task_that_lists_it_reports_it(registered, monkeypatch):
    from mmbench.tasks.vqa import VqaTask

    monkeypatch.setattr(VqaTask, "metrics", (*VqaTask.metrics, "my_err"))
    task = VqaTask.__new__(VqaTask)  # evaluate needs only the split's examples
    monkeypatch.setattr(task, "metric_references", lambda split: ["yes", "two"])
    out = task.evaluate(["yes", "three"], "test", ["my_err"])
    assert out["my_err"].scores["my_err"] == 0.5
