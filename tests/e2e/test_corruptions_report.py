"""``robustness.md``: curves, summary numbers and tests against a named baseline."""

from __future__ import annotations

import pandas as pd
import pytest

from mmbench.api import run
from mmbench.errors import MmbenchError
from mmbench.reporting import build_report

pytestmark = pytest.mark.e2e
UNI = "fusion=concat, image=none"

SPEC = """
name: tiny_robust
task: vqa
dataset: {name: shapes, kwargs: {n_train: 96, n_val: 24, n_test: 48, seed: 3}}
model:
  dim: 16
  encoders:
    image: {name: cnn}
    text: {name: gru}
  fusion: {name: concat}
train: {epochs: 1, batch_size: 32, seed: 0, max_steps: 2}
eval:
  corruptions:
    image: [{name: occlusion, levels: [0.5, 1.0]}]
tracking: {experiment: tiny_robust}
sweep:
  model.fusion.name: [late, concat]
  train.seed: [0, 1]  # two seeds: with one, the calibrated test claims nothing
"""


def test_robustness_report_with_curves_summary_and_tests(write, mlflow_uri, tmp_path):
    path = write(SPEC)
    assert not run(path).failures
    assert not run(
        path, ["model.encoders.image=null", "sweep.model.fusion.name=[concat]"]
    ).failures  # a unimodal baseline
    with pytest.raises(MmbenchError, match=r"--baseline: no configuration 'fusion=lat'; did"):
        build_report("tiny_robust", mlflow_uri, tmp_path / "r", baseline="fusion=lat")
    report = build_report("tiny_robust", mlflow_uri, tmp_path / "r", baseline="fusion=late")
    board = report.board
    assert all(" at " not in m for m in board.metrics)  # corrupted scores stay out of it
    text = report.robustness_path.read_text()
    assert "## image: occlusion (fraction of area)" in text
    assert "The clean level (0) is the clean score." in text
    assert (report.robustness_path.parent / "robust_image_occlusion.png").stat().st_size > 0
    table = pd.read_csv(report.robustness_path.parent / "robustness.csv")
    assert set(table["configuration"]) == {"fusion=late", "fusion=concat", UNI}
    uni = table.set_index("configuration").loc[UNI]
    assert uni["relative_robustness"] == 1.0  # never sees the image: a flat curve
    late = table.set_index("configuration").loc["fusion=late"]
    assert late["effective_robustness"] == 0.0 and pd.isna(late["p_drop"])
    concat = table.set_index("configuration").loc["fusion=concat"]
    assert 0.0 <= concat["p_drop"] <= 1.0  # two seeds each: a test is made
    assert not pd.isna(concat["multimodal_gain"])
    clean = board.table.set_index("label").loc["fusion=concat", "test/vqa_acc_mean"]
    assert concat["clean"] == pytest.approx(clean)
    folder = report.path.parent  # its bundle alone remakes the robustness report too
    again = build_report(None, None, tmp_path / "again", bundle=folder)  # baseline kept
    for name in ("robustness.md", "robustness.csv", "robust_image_occlusion.png"):
        assert (again.path.parent / name).read_bytes() == (folder / name).read_bytes(), name
