"""Write ``robustness.md`` (+ ``robustness.csv`` and one curve PNG per input × corruption)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.registry import CORRUPTIONS
from mmbench.reporting.robust_compare import ALPHA
from mmbench.reporting.robust_plot import plot_curve
from mmbench.reporting.robustness import (
    check_baseline,
    gather_curves,
    summary_table,
    test_curve,
    unimodal_labels,
)
from mmbench.reporting.significance import testable


def _num(x: float, digits: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _mark(p: float, delta: float, higher: bool) -> str:
    if p is None or math.isnan(p) or p >= ALPHA:
        return ""
    return " ▲" if (delta > 0) == higher else " ▼"


def write_robustness(
    configs: pd.DataFrame,
    metric: str,
    origin,
    out_dir: Path,
    higher: bool,
    baseline: str | None = None,
) -> Path | None:
    """The robustness report of ``metric``; None when no run logged corrupted scores."""
    curves = gather_curves(configs, metric)
    if not curves:
        return None
    labels = sorted({label for c in curves for label in c.scores})
    check_baseline(baseline, labels)
    split, key = metric.split("/", 1)
    unimodal = unimodal_labels(configs)
    arrow = "↑" if higher else "↓"
    body = [
        f"# Robustness: {metric} {arrow} with one input corrupted",
        "",
        "Each trained model scored again with one test input corrupted (no retraining); the "
        "corrupted inputs are the same for every model (seeded by `eval.corruption_seed`). "
        "Level cells: mean ± sample std over seeds. *rel. rob.*: area under score/clean over "
        "the levels (1 = no loss); *eff. rob.*: mean excess over the baseline's curve shifted "
        "to the same clean score (positive = degrades less than the baseline); *MM gain*: area "
        "of the curve minus the best unimodal configuration's area (MultiBench, Liang et al. "
        "2021). ▲/▼: significantly better/worse than the baseline at that level; *p (drop)*: "
        "test of the per-example drop from clean against the baseline's, i.e. of eff. rob. ≠ 0 "
        "(`mmbench.stats.compare`: seeds and test examples, examples paired, Holm-corrected "
        "per column, α = 0.05).",
        "",
        f"Baseline: `{baseline}`."
        if baseline
        else "No baseline named (`--baseline`): no effective robustness and no tests.",
        f"Unimodal configurations: {', '.join(f'`{u}`' for u in unimodal) or 'none'}.",
        "",
    ]
    rows = []
    for curve in curves:
        unit = CORRUPTIONS.get(curve.corruption).unit if curve.corruption in CORRUPTIONS else ""
        table = summary_table(curve, baseline, unimodal, higher)
        tests = None
        if baseline and testable(key):
            tests = test_curve(curve, split, key, origin, baseline, higher)
        stem = f"robust_{curve.inp}_{curve.corruption}.png"
        plot_curve(curve, metric, unit, out_dir / stem, baseline)
        head = ["Configuration", "seeds"] + [f"{lv:g}" for lv in curve.levels]
        head += ["rel. rob.", "eff. rob.", "p (drop)", "MM gain"]
        body += [
            f"## {curve.inp}: {curve.corruption} ({unit})",
            "",
            f"The clean level ({curve.levels[0]:g}) is the clean score.",
            "",
            f"![{curve.inp} {curve.corruption}]({stem})",
            "",
            "| " + " | ".join(head) + " |",
            "|" + "---|" * len(head),
        ]
        for label, row in table.iterrows():
            s = curve.scores[label]
            cells = [f"`{label}`", str(int(row["seeds"]))]
            for j, lv in enumerate(curve.levels):
                m = s[:, j].mean()
                text = _num(m) + (f" ± {_num(s[:, j].std(ddof=1))}" if len(s) > 1 else "")
                if j and tests is not None and label in tests.index:
                    base_mean = curve.scores[baseline][:, j].mean()
                    text += _mark(tests.loc[label, f"p@{lv:g}"], m - base_mean, higher)
                cells.append(text)
            p_drop = (
                tests.loc[label, "p_drop"] if tests is not None and label in tests.index else np.nan
            )
            rr = _num(row["relative_robustness"], 3)
            if not math.isnan(row["relative_robustness_std"]):
                rr += f" ± {_num(row['relative_robustness_std'], 3)}"
            cells += [
                rr,
                _num(row["effective_robustness"]),
                _num(p_drop, 3),
                _num(row["multimodal_gain"]),
            ]  # noqa: E501
            body.append("| " + " | ".join(cells) + " |")
            rows.append(
                {
                    "input": curve.inp,
                    "corruption": curve.corruption,
                    "configuration": label,
                    **row.to_dict(),
                    "p_drop": p_drop,
                }
            )  # noqa: E501
        if curve.note:
            body += ["", f"Note: {curve.note}."]
        body.append("")
    out_dir.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(out_dir / "robustness.csv", index=False)
    path = out_dir / "robustness.md"
    path.write_text("\n".join(body), encoding="utf-8")
    return path
