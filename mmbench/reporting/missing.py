"""``missing.md``: the headline score with one input left out, and its tests.

Every run with ``eval.missing`` logs ``<split>/<metric> without <input>`` and, since
2026-12-06, the per-example scores of that evaluation
(:func:`mmbench.spec.schema.missing_scores_artifact`). Per left-out input this view shows, per
configuration, the score with every input and without that one (mean ± sample std over seeds),
the drop, and three tests through :func:`mmbench.reporting.robust_compare.compare_configs`
(seeds and test examples, examples paired, Holm over the configurations of one column):

- *p (without)*: the score without the input against the baseline's score without it;
- *p (drop vs baseline)*: each example's drop against the baseline's drop, i.e. whether the
  configuration depends on that input more or less than the baseline (the effective-robustness
  test of :mod:`mmbench.reporting.robustness`, with "left out" as the one corrupted level);
- *p (drop ≠ 0)*: whether leaving the input out changes the configuration's score at all —
  whether the model uses that input on this test set.

A left-out input is a two-level curve (clean, left out), so the gathering and the tests are
those of the robustness view.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.reporting.robust_compare import ALPHA, compare_configs
from mmbench.reporting.robust_report import _num
from mmbench.reporting.robustness import Curve, _per_example, check_baseline, test_curve
from mmbench.reporting.seed_stats import artifact_name
from mmbench.reporting.significance import testable
from mmbench.spec.schema import WITHOUT, missing_metric, missing_scores_artifact

NO_DROP = "\0no drop"  # the reference of the drop ≠ 0 test: a configuration that loses nothing


class LeftOut(Curve):
    """One left-out input as a curve of two levels: 0 = every input, 1 = without ``inp``."""

    def column(self, metric: str, level: float) -> str:
        return f"metrics.{metric if level == 0 else missing_metric(metric, self.inp)}"

    def artifact(self, split: str, level: float) -> str:
        return artifact_name(split) if level == 0 else missing_scores_artifact(split, self.inp)


def gather_missing(configs: pd.DataFrame, metric: str) -> list[LeftOut]:
    """One :class:`LeftOut` per input some run left out (``leaderboard.configurations`` rows)."""
    prefix = f"metrics.{metric} {WITHOUT} "
    inputs = sorted({c[len(prefix) :] for c in configs.columns if c.startswith(prefix)})
    out = []
    for inp in inputs:
        curve = LeftOut(inp, "missing", [0.0, 1.0], False)
        if curve.fill(configs, metric):
            out.append(curve)
    return out


def drop_tests(curve: LeftOut, split: str, key: str, origin, higher: bool) -> pd.Series | None:
    """Per configuration: p of its per-example drop ≠ 0 (Holm over the configurations)."""
    data = _per_example(curve, split, key, origin)
    if data is None:
        return None
    drops = {k: v[:, 0] - v[:, 1] for k, (v, _) in data.items()}
    dens = {k: den[:, 0] for k, (_, den) in data.items() if den is not None}
    first = next(iter(drops.values()))
    drops[NO_DROP] = np.zeros((2, first.shape[1]))  # two seeds: it never blocks a test
    if dens:
        dens[NO_DROP] = np.repeat(next(iter(dens.values()))[:1], 2, axis=0)
    res = compare_configs(drops, NO_DROP, higher, dens if len(dens) == len(drops) else None)
    return res["p"].drop(NO_DROP)


def _cell(s: np.ndarray) -> str:
    return _num(s.mean()) + (f" ± {_num(s.std(ddof=1))}" if len(s) > 1 else "")


def write_missing(
    configs: pd.DataFrame,
    metric: str,
    origin,
    out_dir: Path,
    higher: bool,
    baseline: str | None = None,
) -> Path | None:
    """``missing.md`` (+ ``missing.csv``) of ``metric``; None when no run left an input out."""
    curves = gather_missing(configs, metric)
    if not curves:
        return None
    check_baseline(baseline, sorted({label for c in curves for label in c.scores}))
    split, key = metric.split("/", 1)
    arrow = "↑" if higher else "↓"
    body = [
        f"# Missing inputs: {metric} {arrow} with one input left out",
        "",
        "Each trained model scored again on the same test examples with one input left out "
        "(`eval.missing`; no retraining). Cells: mean ± sample std over seeds; *drop*: score "
        "with every input minus the score without this one. *p (without)*: the score without "
        "the input against the baseline's; *p (drop vs baseline)*: the per-example drop against "
        "the baseline's drop; *p (drop ≠ 0)*: whether leaving the input out changes the score "
        "at all. `mmbench.stats.compare` (seeds and test examples, examples paired, Holm over "
        f"the configurations of each column, α = {ALPHA:g}); a test needs ≥ 2 seeds per side.",
        "",
        f"Baseline: `{baseline}`."
        if baseline
        else "No baseline named: only the drop ≠ 0 tests are made.",
        "",
    ]
    rows = []
    for curve in curves:
        tests = zero = None
        if testable(key):
            if baseline in curve.scores:
                tests = test_curve(curve, split, key, origin, baseline, higher)
            zero = drop_tests(curve, split, key, origin, higher)
        head = ["Configuration", "seeds", "every input", f"without {curve.inp}", "drop"]
        head += ["p (without)", "p (drop vs baseline)", "p (drop ≠ 0)"]
        body += [
            f"## Without {curve.inp}",
            "",
            "| " + " | ".join(head) + " |",
            "|" + "---|" * len(head),
        ]
        order = sorted(curve.scores, key=lambda k: curve.scores[k][:, 1].mean(), reverse=higher)
        for label in order:
            s = curve.scores[label]
            drop = s[:, 0] - s[:, 1]

            def p_of(frame, col, label=label):
                ok = frame is not None and label in frame.index
                return float(frame.loc[label, col]) if ok else math.nan

            p_without, p_vs = p_of(tests, "p@1"), p_of(tests, "p_drop")
            p_zero = float(zero[label]) if zero is not None and label in zero.index else math.nan
            ref = label == baseline
            body.append(
                "| "
                + " | ".join(
                    [
                        f"`{label}`",
                        str(len(s)),
                        _cell(s[:, 0]),
                        _cell(s[:, 1]),
                        _cell(drop),
                        "reference" if ref else _num(p_without, 3),
                        "reference" if ref else _num(p_vs, 3),
                        _num(p_zero, 3),
                    ]
                )
                + " |"
            )
            rows.append(
                {
                    "input": curve.inp,
                    "configuration": label,
                    "seeds": len(s),
                    "every_input": s[:, 0].mean(),
                    "without": s[:, 1].mean(),
                    "drop": drop.mean(),
                    "p_without": p_without,
                    "p_drop_vs_baseline": p_vs,
                    "p_drop_nonzero": p_zero,
                }
            )
        if curve.note or (testable(key) and zero is None):
            note = curve.note or "no per-example scores of the evaluation without this input"
            body += ["", f"Note: {note} (runs logged before 2026-12-06 have none)."]
        body.append("")
    out_dir.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(out_dir / "missing.csv", index=False)
    path = out_dir / "missing.md"
    path.write_text("\n".join(body), encoding="utf-8")
    return path
