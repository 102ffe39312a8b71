"""A tiny tuned sweep (two fusions on built-in shapes data, under a second per run)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mlflow.tracking import MlflowClient

SPEC = """
name: tuned
task: vqa
dataset: {{name: shapes, kwargs: {{n_train: 16, n_val: 8, n_test: 8, seed: 3}}}}
model:
  dim: 8
  encoders:
    image: {{name: mlp}}
    text: {{name: bow}}
  fusion: {{name: concat}}
  head: {{name: classifier, kwargs: {{hidden: 8}}}}
train: {{epochs: {epochs}, batch_size: 8, max_steps: 4, log_every: 1, device: cpu}}
eval: {{missing: [image]}}
sweep:
  model.fusion.name: [concat, sum]
tune:
  trials: {trials}
  seed: 7
  seeds: [0, 1]
  pruner: {pruner}
  space:
    train.lr: {{type: loguniform, low: 1.0e-4, high: 1.0e-1}}
    train.weight_decay: {{type: uniform, low: 0.0, high: 0.1}}
"""


def write_spec(folder: Path, trials: int = 2, epochs: int = 1, pruner: str = "none") -> Path:
    path = folder / "tuned.yaml"
    text = SPEC.format(trials=trials, epochs=epochs, pruner=pruner)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def runs(uri: str, stage: str | None = None, status: str | None = None) -> list:
    client = MlflowClient(uri)
    exp = client.get_experiment_by_name("tuned")
    found = client.search_runs([exp.experiment_id], max_results=1000) if exp else []
    return [
        r
        for r in found
        if (stage is None or r.data.tags.get("mmbench.stage") == stage)
        and (status is None or r.info.status == status)
    ]


def by_label(found: list) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in sorted(found, key=lambda r: int(r.data.tags.get("mmbench.trial", "0"))):
        out.setdefault(r.data.tags["mmbench.label"], []).append(r)
    return out
