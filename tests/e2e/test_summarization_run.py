"""End to end: a tiny multimodal summarization run logs ROUGE-1/2/L/Lsum to MLflow."""

from __future__ import annotations

import textwrap

import pytest
from mlflow.tracking import MlflowClient

from mmbench.api import run
from tests.e2e.logged import per_example_and_predictions

pytestmark = pytest.mark.e2e

SPEC = """
name: tiny_sum
task: summarization
dataset: {name: scene_summaries, kwargs: {n_train: 48, n_val: 12, n_test: 12, seed: 2}}
model:
  dim: 24
  encoders:
    document: {name: gru}
    image: {name: cnn, kwargs: {widths: [8, 16]}}
  fusion: {name: film}
  head: {name: gru_decoder, kwargs: {max_len: 24}}
train: {epochs: 2, batch_size: 32, lr: 0.005, seed: 0, log_every: 2}
tracking: {experiment: tiny_sum}
"""


def test_tiny_summarization_run_reaches_mlflow(tmp_path, mlflow_uri):
    path = tmp_path / "sum.yaml"
    path.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    out = run(path)
    assert len(out.outcomes) == 1 and not out.failures
    client = MlflowClient(mlflow_uri)
    exp = client.get_experiment_by_name("tiny_sum")
    (r,) = [
        r
        for r in client.search_runs([exp.experiment_id])
        if r.data.tags.get("mmbench.kind") == "train"
    ]
    for key in ("rouge1", "rouge2", "rougeL", "rougeLsum"):
        assert 0.0 <= r.data.metrics[f"test/{key}"] <= 1.0
        assert f"val/{key}" in r.data.metrics
    assert r.data.metrics["test/rouge1"] > 0.05  # two epochs already learn the frame words
    curve = client.get_metric_history(r.info.run_id, "train/loss")
    assert curve[-1].value < curve[0].value
    assert "rouge-score" in r.data.tags["mmbench.metric.rouge"]
    scores, rows = per_example_and_predictions(client, r.info.run_id, tmp_path)
    assert scores["group"].tolist() == [str(row["id"]) for row in rows]  # cluster = document
