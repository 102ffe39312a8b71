"""``missing.md``: scores with one input left out, tested against a baseline and against 0."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mmbench.api import run
from mmbench.reporting import build_report
from mmbench.reporting.missing import LeftOut, drop_tests

pytestmark = pytest.mark.e2e

SPEC = """
name: tiny_missing
task: vqa
dataset: {name: shapes, kwargs: {n_train: 96, n_val: 24, n_test: 48, seed: 3}}
model:
  dim: 16
  encoders:
    image: {name: cnn}
    text: {name: gru}
  fusion: {name: concat}
train: {epochs: 1, batch_size: 32, seed: 0, max_steps: 2}
eval: {missing: [image]}
tracking: {experiment: tiny_missing}
sweep:
  model.fusion.name: [late, concat]
  train.seed: [0, 1]
"""


def test_missing_report_logs_per_example_scores_and_tests_them(write, mlflow_uri, tmp_path):
    path = write(SPEC)
    assert not run(path).failures
    report = build_report("tiny_missing", mlflow_uri, tmp_path / "r", baseline="fusion=late")
    out = report.views["missing"]
    text = out.read_text()
    assert "## Without image" in text and "Baseline: `fusion=late`." in text
    table = pd.read_csv(out.parent / "missing.csv").set_index("configuration")
    assert set(table.index) == {"fusion=late", "fusion=concat"}
    assert table["p_drop_nonzero"].between(0.0, 1.0).all()  # two seeds each: tested
    concat = table.loc["fusion=concat"]
    assert 0.0 <= concat["p_without"] <= 1.0 and 0.0 <= concat["p_drop_vs_baseline"] <= 1.0
    assert pd.isna(table.loc["fusion=late", "p_without"])  # the reference
    clean = report.board.table.set_index("label").loc["fusion=concat", "test/vqa_acc_mean"]
    assert concat["every_input"] == pytest.approx(clean)
    folder = report.path.parent  # the per-example scores without the image are in the bundle
    bundled = pd.read_parquet(folder / "results.parquet")
    assert "scores/missing/test_without_image_per_example.csv" in set(bundled["artifact"])
    again = build_report(None, None, tmp_path / "again", bundle=folder)
    for name in ("missing.md", "missing.csv"):
        assert (again.path.parent / name).read_bytes() == (folder / name).read_bytes(), name


class _Frames:
    """Per-example score files served from memory, as a report source would."""

    def __init__(self, files):
        self.files = files

    def fetch_frames(self, uris, name):
        return [self.files.get((u, name)) for u in uris]


def _curve(rng, effect: float, seeds: int = 3, n: int = 300) -> tuple[LeftOut, _Frames]:
    curve = LeftOut("image", "missing", [0.0, 1.0], False)
    files = {}
    for label in ("a", "b"):
        uris = [f"{label}{s}" for s in range(seeds)]
        curve.runs[label] = pd.DataFrame({"artifact_uri": uris})
        for uri in uris:
            ease = rng.normal(0, 1, n)  # shared per example: the drop is paired
            full = ease + rng.normal(0, 0.3, n)
            gone = ease + rng.normal(0, 0.3, n) - (effect if label == "a" else 0.0)
            for name, v in (
                ("scores/test_per_example.csv", full),
                ("scores/missing/test_without_image_per_example.csv", gone),
            ):
                files[(uri, name)] = pd.DataFrame({"id": [str(i) for i in range(n)], "acc": v})
    return curve, _Frames(files)


def test_drop_tests_find_a_real_drop_and_rarely_a_false_one():
    rng = np.random.default_rng(0)
    curve, frames = _curve(rng, effect=0.5)
    p = drop_tests(curve, "test", "acc", frames, higher=True)
    assert p["a"] < 0.01 and p["b"] > 0.01  # a loses 0.5 without the image, b nothing
    false = 0
    for _ in range(100):  # A/A: neither depends on the input
        curve, frames = _curve(rng, effect=0.0)
        false += (drop_tests(curve, "test", "acc", frames, higher=True) < 0.05).any()
    assert false <= 12  # Holm over two: at most ~5% family-wise, with Monte Carlo slack
