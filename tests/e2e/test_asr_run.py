"""End to end: a tiny ASR run on built-in spoken digits trains (loss falls) and reaches a real
MLflow store with WER and CER; the leaderboard sorts WER as lower-is-better."""

from __future__ import annotations

import json
import textwrap

import pytest
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.reporting import make_report
from tests.e2e.logged import per_example_and_predictions

pytestmark = pytest.mark.e2e
pytest.importorskip("espeakng_loader")

SPEC = """
name: tiny_asr
task: asr
dataset:
  name: spoken_digits
  kwargs: {n_train: 64, n_val: 16, n_test: 16, max_digits: 2, sample_rate: 8000, seed: 1,
           spec_augment: true}
model:
  dim: 32
  encoders:
    audio: {name: mel_cnn, kwargs: {layers: 1}}
  fusion: {name: film, kwargs: {primary: audio}}
  head: {name: ctc, kwargs: {decoder: beam, beam: 4}}
train: {epochs: 3, batch_size: 16, lr: 0.005, seed: 0, log_every: 2}
tracking: {experiment: tiny_asr_e2e}
"""


def test_tiny_asr_run_logs_wer_and_cer(mlflow_uri, tmp_path, monkeypatch):
    monkeypatch.setenv("MMBENCH_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "tiny_asr.yaml"
    path.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    out = run(path)
    assert len(out.outcomes) == 1 and not out.failures
    client = MlflowClient(mlflow_uri)
    exp = client.get_experiment_by_name("tiny_asr_e2e")
    (r,) = [
        x
        for x in client.search_runs([exp.experiment_id])
        if x.data.tags.get("mmbench.kind") == "train"
    ]
    m = r.data.metrics
    assert 0.0 <= m["test/cer"] and 0.0 <= m["test/wer"] and {"test/mer", "test/wil"} <= set(m)
    assert r.data.tags["mmbench.task"] == "asr" and r.data.params["model.head.name"] == "ctc"
    assert "cer" in r.data.tags["mmbench.metric.cer"]
    curve = client.get_metric_history(r.info.run_id, "train/loss")
    assert len(curve) >= 4 and curve[-1].value < curve[0].value
    assert len(client.get_metric_history(r.info.run_id, "val/wer")) == 3
    local = client.download_artifacts(r.info.run_id, "predictions/test.jsonl", str(tmp_path))
    rows = [json.loads(line) for line in open(local, encoding="utf-8")]
    assert len(rows) == 16 and {"id", "prediction", "reference"} <= set(rows[0])
    scores, _ = per_example_and_predictions(client, r.info.run_id, tmp_path / "again")
    assert scores["group"].tolist() == [row["speaker"] for row in rows]  # cluster = speaker
    assert scores["group"].nunique() < len(rows)  # several utterances per voice
    _, report = make_report("tiny_asr_e2e", out_root=tmp_path / "reports")
    assert "test/wer ↓" in report.read_text()
