"""pareto.md/.png (cost vs quality fronts) and curves.png (validation curves over seeds)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mmbench.reporting.curves_plot import curve_bands
from mmbench.reporting.pareto import dominated, fronts

PNG = b"\x89PNG\r\n\x1a\n"


def test_domination_respects_direction_and_ties():
    score = np.array([80.0, 70.0, 80.0, 90.0])
    cost = np.array([[1.0], [2.0], [1.0], [5.0]])
    # b is worse and dearer than a; a and c are equal (neither dominates); d is best but dearest
    assert dominated(score, cost, higher=True).tolist() == [False, True, False, False]
    # lower-is-better score (WER): b is better but dearer than a; d is the worst and dearest
    assert dominated(score, cost, higher=False).tolist() == [False, False, False, True]
    table = pd.DataFrame(
        {"score": [1.0, 2.0], "cost/params_total": [1.0, 2.0], "cost/train_seconds": [5.0, 1.0]},
        index=["x", "y"],
    )
    on = fronts(table, higher=True)
    assert on["cost/params_total"].tolist() == [True, True]
    assert on["cost/train_seconds"].tolist() == [False, True]  # y: better and faster
    assert on["all costs"].tolist() == [True, True]  # x is smaller: not dominated on all


def test_report_writes_pareto_table_and_figure(views_report):
    report = views_report
    md = report.views["pareto"].read_text(encoding="utf-8")
    rows = {line.split(" | ")[0].strip("| "): line for line in md.splitlines() if "|" in line}
    assert "**all costs**" in rows["fusion=film, image=cnn"]  # best and nearly cheapest
    assert "**all costs**" in rows["fusion=concat, image=cnn"]  # cheapest
    assert rows["fusion=film, image=vit"].endswith("| – (dominated) |")
    assert "| 120.00k | 2.20M |" in rows["fusion=film, image=cnn"]  # params, FLOPs / example
    assert (report.views["pareto"].parent / "pareto.png").read_bytes()[:8] == PNG
    assert report.views["curves"].read_bytes()[:8] == PNG


def test_curve_bands_are_mean_min_max_over_seeds_on_shared_steps():
    configs = pd.DataFrame({"run_id": ["r0", "r1", "r2"], "_config": ["a", "a", "b"]})
    curves = pd.DataFrame(
        [
            ("r0", "val/x", 10, 1.0), ("r0", "val/x", 20, 3.0),
            ("r1", "val/x", 10, 2.0), ("r1", "val/x", 20, 5.0), ("r1", "val/x", 30, 9.0),
            ("r2", "val/x", 10, 4.0), ("r2", "val/loss", 10, 0.1),
        ],
        columns=["run_id", "key", "step", "value"],
    )  # fmt: skip
    bands = curve_bands(curves, configs, "val/x")
    a = bands[bands["label"] == "a"]
    assert a["step"].tolist() == [10, 20]  # step 30: only one of the two seeds
    assert a["mean"].tolist() == pytest.approx([1.5, 4.0])
    assert a["low"].tolist() == [1.0, 3.0] and a["high"].tolist() == [2.0, 5.0]
    assert bands[bands["label"] == "b"]["n"].tolist() == [1]
