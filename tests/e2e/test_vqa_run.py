"""End to end: a tiny VQA run trains (loss falls), reaches a real MLflow store, and reports."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.cli import cli
from mmbench.reporting import make_report
from tests.e2e.logged import per_example_and_predictions

pytestmark = pytest.mark.e2e

SPEC = """
name: tiny
task: vqa
dataset: {name: shapes, kwargs: {n_train: 192, n_val: 48, n_test: 48, seed: 3}}
model:
  dim: 24
  encoders:
    image: {name: cnn}
    text: {name: gru}
  fusion: {name: concat}
  head: {name: classifier, kwargs: {hidden: 32}}
train: {epochs: 3, batch_size: 32, lr: 0.003, seed: 0, log_every: 2}
tracking: {experiment: tiny_e2e}
"""


@pytest.fixture
def spec_path(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    return path


def test_tiny_sweep_logs_everything_and_is_idempotent(spec_path, mlflow_uri, tmp_path):
    out = run(spec_path, ["sweep.model.fusion.name=[concat, film]"])
    assert len(out.outcomes) == 2 and not out.failures
    client = MlflowClient(mlflow_uri)
    exp = client.get_experiment_by_name("tiny_e2e")
    runs = client.search_runs([exp.experiment_id])
    children = [r for r in runs if r.data.tags.get("mmbench.kind") == "train"]
    parents = [r for r in runs if r.data.tags.get("mmbench.kind") == "sweep"]
    assert len(children) == 2 and len(parents) == 1
    for child in children:
        assert child.data.tags["mlflow.parentRunId"] == parents[0].info.run_id
        assert child.data.params["model.fusion.name"] in {"concat", "film"}
        assert 0.0 <= child.data.metrics["test/vqa_acc"] <= 100.0
        assert child.data.metrics["cost/params_total"] > 0
        assert child.data.metrics["cost/flops_per_example"] > 0
        curve = client.get_metric_history(child.info.run_id, "train/loss")
        assert len(curve) >= 5
        # the loss falls: the last logged points are below the first ones
        assert curve[-1].value < curve[0].value
        val = client.get_metric_history(child.info.run_id, "val/vqa_acc")
        assert [m.step for m in val] == sorted(m.step for m in val) and len(val) == 3
        files = {a.path for a in client.list_artifacts(child.info.run_id)}
        assert {"spec.yaml", "predictions", "scores", "checkpoint"} <= files
        assert "vqa_acc" in child.data.tags["mmbench.metric.vqa_acc"]
        # each question's cluster id is its image (one scene per question in `shapes`)
        scores, preds = per_example_and_predictions(client, child.info.run_id, tmp_path)
        images = [str(p["question_id"]) for p in preds]  # shapes: image_id = question_id
        assert scores["group"].tolist() == images and scores["id"].tolist() == images
    # running again skips both finished points
    again = run(spec_path, ["sweep.model.fusion.name=[concat, film]"])
    assert again.skipped == 2 and not again.outcomes

    board, path = make_report("tiny_e2e", out_root=tmp_path / "reports")
    text = path.read_text()
    assert "test/vqa_acc ↑" in text and "fusion=film" in text and "fusion=concat" in text
    assert len(board.table) == 2


def test_cli_run_prints_leaderboard_and_store(spec_path, mlflow_uri, tmp_path):
    result = CliRunner().invoke(cli, ["run", str(spec_path), "--set", "train.epochs=1"])
    assert result.exit_code == 0, result.output
    assert "| Configuration | seeds | test/vqa_acc ↑" in result.output
    assert "report: reports/tiny_e2e/leaderboard.md" in result.output
    assert mlflow_uri in result.output


def test_parallel_workers_match_sequential_results(spec_path, mlflow_uri):
    overrides = ["train.epochs=1", "sweep.train.seed=[0, 1]"]
    seen = []
    par = run(spec_path, overrides, workers=2, on_done=lambda label, o, e: seen.append(label))
    assert not par.failures and len(par.outcomes) == 2
    assert sorted(seen) == ["tiny seed=0", "tiny seed=1"]
    seq = run(spec_path, [*overrides, "tracking.experiment=tiny_seq"])
    by_acc = sorted(o.test["test/vqa_acc"] for o in par.outcomes)
    assert by_acc == sorted(o.test["test/vqa_acc"] for o in seq.outcomes)
