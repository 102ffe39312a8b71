"""End to end: a tiny captioning run trains, decodes and logs CIDEr-D/BLEU/ROUGE-L to MLflow."""

from __future__ import annotations

import textwrap

import pytest
import torch
from mlflow.tracking import MlflowClient

from mmbench.api import run
from tests.e2e.logged import per_example_and_predictions

pytestmark = pytest.mark.e2e

SPEC = """
name: tiny_cap
task: captioning
dataset: {name: shapes_captions, kwargs: {n_train: 64, n_val: 16, n_test: 16, seed: 2}}
model:
  dim: 24
  encoders:
    image: {name: cnn, kwargs: {widths: [8, 16]}}
    tags: {name: gru}
  fusion: {name: cross_attention}
  head: {name: gru_decoder, kwargs: {max_len: 12, beam_size: 2}}
train: {epochs: 2, batch_size: 32, lr: 0.005, seed: 0, log_every: 2}
tracking: {experiment: tiny_cap}
"""


def test_tiny_captioning_run_reaches_mlflow(tmp_path, mlflow_uri):
    path = tmp_path / "cap.yaml"
    path.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    out = run(path, ["sweep.model.head.name=[gru_decoder, transformer_decoder]"])
    assert len(out.outcomes) == 2 and not out.failures
    client = MlflowClient(mlflow_uri)
    exp = client.get_experiment_by_name("tiny_cap")
    runs = [
        r
        for r in client.search_runs([exp.experiment_id])
        if r.data.tags.get("mmbench.kind") == "train"
    ]
    assert {r.data.params["model.head.name"] for r in runs} == {
        "gru_decoder",
        "transformer_decoder",
    }
    for r in runs:
        m = r.data.metrics
        assert 0.0 <= m["test/cider"] <= 10.0 and "test/bleu4" in m and "test/rougeL" in m
        assert "val/cider" in m
        curve = client.get_metric_history(r.info.run_id, "train/loss")
        assert curve[-1].value < curve[0].value  # the loss falls
        assert "cider" in r.data.tags["mmbench.metric.cider"]
        local = client.download_artifacts(r.info.run_id, "checkpoint/model.pt", str(tmp_path))
        ckpt = torch.load(local, weights_only=False)
        assert ckpt["task_state"]["target_vocab"][:4] == ["<pad>", "<unk>", "<bos>", "<eos>"]
        preds = client.download_artifacts(r.info.run_id, "predictions/test.jsonl", str(tmp_path))
        assert '"caption"' in open(preds, encoding="utf-8").readline()
        scores, rows = per_example_and_predictions(client, r.info.run_id, tmp_path / "pe")
        assert scores["group"].tolist() == [str(row["image_id"]) for row in rows]
