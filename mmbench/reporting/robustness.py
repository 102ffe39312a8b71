"""``robustness.md``: curves of the headline score as one input is corrupted more and more.

Every run with ``eval.corruptions`` logs ``<split>/<metric> at <input>:<corruption>:<level>``
and per-example scores per level. For each input × corruption this module gathers, per
configuration, the curve of each seed (the clean score stands in for the clean level when the
spec did not list it), plots the curves (mean over seeds with a ± 1 std band), and tabulates the
summary numbers of :mod:`mmbench.reporting.robust_summary` with tests against the study's
baseline configuration: at each corrupted level, and for effective robustness (each example's
score drop from clean, averaged over the corrupted levels, compared with the baseline's drop —
paired over examples, the test of ``effective robustness ≠ 0``). Tests go through
:func:`mmbench.reporting.robust_compare.compare_configs`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mmbench.registry import CORRUPTIONS, did_you_mean
from mmbench.reporting.labels import _inputs
from mmbench.reporting.robust_compare import compare_configs
from mmbench.reporting.robust_summary import (
    area,
    effective_robustness,
    multimodal_gain,
    relative_robustness,
    severity_order,
)
from mmbench.reporting.seed_stats import _scores, artifact_name
from mmbench.reporting.significance import ratio_counts
from mmbench.spec.schema import corrupted_metric, corrupted_scores_artifact, parse_corrupted


@dataclass
class Curve:
    """One input × corruption: per configuration, the ``(n_seeds, n_levels)`` corpus scores."""

    inp: str
    corruption: str
    levels: list[float]  # clean first, then by severity
    clean_listed: bool  # whether the spec listed the clean level (else the clean score is used)
    runs: dict[str, pd.DataFrame] = field(default_factory=dict)  # label → its runs
    scores: dict[str, np.ndarray] = field(default_factory=dict)  # label → (seeds, levels)
    tests: pd.DataFrame | None = None  # per label: p at each level and for the drop
    note: str = ""

    def column(self, metric: str, level: float) -> str:
        if level == self.levels[0] and not self.clean_listed:
            return f"metrics.{metric}"
        return f"metrics.{corrupted_metric(metric, self.inp, self.corruption, level)}"

    def artifact(self, split: str, level: float) -> str:
        if level == self.levels[0] and not self.clean_listed:
            return artifact_name(split)
        return corrupted_scores_artifact(split, self.inp, self.corruption, level)

    def fill(self, configs: pd.DataFrame, metric: str) -> bool:
        """Read each configuration's runs that logged every level; False if none did."""
        cols = [self.column(metric, lv) for lv in self.levels]
        for label, g in configs.groupby("_config", sort=False):
            if not all(c in g for c in cols):
                continue
            g = g.dropna(subset=cols)
            if len(g):
                self.runs[str(label)] = g
                self.scores[str(label)] = g[cols].to_numpy(np.float64)
        return bool(self.scores)


def gather_curves(configs: pd.DataFrame, metric: str) -> list[Curve]:
    """Curves of ``metric`` (``<split>/<key>``) from ``leaderboard.configurations`` output."""
    found: dict[tuple[str, str], set[float]] = {}
    for col in configs.columns:
        if not col.startswith("metrics."):
            continue
        parsed = parse_corrupted(col[len("metrics.") :])
        if parsed and parsed[0] == metric:
            found.setdefault((parsed[1], parsed[2]), set()).add(parsed[3])
    curves = []
    for (inp, name), levels in sorted(found.items()):
        clean = CORRUPTIONS.get(name).clean_level if name in CORRUPTIONS else 0.0
        # the clean level is always read from the clean score (equal to the clean level's
        # corrupted score, see the tests), so runs that did not list it still have a curve
        curve = Curve(inp, name, severity_order(levels | {clean}, clean), False)
        if curve.fill(configs, metric):
            curves.append(curve)
    return curves


def unimodal_labels(configs: pd.DataFrame) -> list[str]:
    """Configurations whose runs encode a single input."""
    return [
        str(label) for label, g in configs.groupby("_config", sort=False) if len(_inputs(g)) == 1
    ]


def _per_example(curve: Curve, split: str, key: str, origin) -> dict | None:
    """label → (values (seeds, levels, N), denominators or None) on the ids all runs share."""
    frames: dict[str, list[list[pd.DataFrame | None]]] = {}
    for label, g in curve.runs.items():
        per_level = [
            [
                None if f is None else _scores(f, key)
                for f in origin.fetch_frames(g["artifact_uri"], curve.artifact(split, lv))
            ]  # noqa: E501
            for lv in curve.levels
        ]
        frames[label] = [list(run) for run in zip(*per_level)]  # runs × levels
    frames = {k: [r for r in v if all(x is not None for x in r)] for k, v in frames.items()}
    frames = {k: v for k, v in frames.items() if v}
    if len(frames) < 2:
        return None
    ids = set.intersection(*(set(x.index) for runs in frames.values() for r in runs for x in r))
    if len(ids) < 10:
        return None
    order = sorted(ids)
    out = {}
    for label, runs in frames.items():
        values = np.stack([[x.loc[order, "value"].to_numpy() for x in r] for r in runs])
        den = (
            np.stack([[x.loc[order, "den"].to_numpy() for x in r] for r in runs])
            if ratio_counts(key)
            else None
        )
        out[label] = (values, den)
    return out


def test_curve(
    curve: Curve, split: str, key: str, origin, baseline: str, higher: bool
) -> pd.DataFrame | None:
    """p-values against ``baseline`` at each corrupted level and for the drop from clean."""
    data = _per_example(curve, split, key, origin)
    if data is None or baseline not in data:
        curve.note = "no per-example scores of the baseline and another configuration"
        return None
    labels = list(data)
    rows = {}
    for j, level in enumerate(curve.levels[1:], start=1):
        res = compare_configs(
            {k: data[k][0][:, j] for k in labels},
            reference=baseline,
            higher_is_better=higher,
            denominators=None
            if data[baseline][1] is None
            else {k: data[k][1][:, j] for k in labels},  # noqa: E501
        )
        rows[f"p@{level:g}"] = res["p"]
    drops = {k: data[k][0][:, 1:].mean(axis=1) - data[k][0][:, 0] for k in labels}
    res = compare_configs(
        drops,
        reference=baseline,
        higher_is_better=higher,
        denominators=None if data[baseline][1] is None else {k: data[k][1][:, 0] for k in labels},
    )
    rows["p_drop"] = res["p"]
    return pd.DataFrame(rows)


def summary_table(
    curve: Curve, baseline: str | None, unimodal: list[str], higher: bool
) -> pd.DataFrame:
    """Per configuration: clean and worst-level means, relative/effective robustness, gain."""
    uni = [curve.scores[u].mean(axis=0) for u in unimodal if u in curve.scores]
    base = curve.scores[baseline].mean(axis=0) if baseline in curve.scores else None
    rows = []
    for label, s in curve.scores.items():
        mean = s.mean(axis=0)
        rr = [relative_robustness(row, higher) for row in s]
        rows.append(
            {
                "configuration": label,
                "seeds": len(s),
                "clean": mean[0],
                "worst": mean[-1],
                "area": area(mean),
                "relative_robustness": float(np.mean(rr)),
                "relative_robustness_std": float(np.std(rr, ddof=1)) if len(rr) > 1 else math.nan,
                "effective_robustness": math.nan
                if base is None
                else effective_robustness(mean, base, higher),
                "multimodal_gain": math.nan
                if label in unimodal
                else multimodal_gain(mean, uni, higher),
            }
        )
    table = pd.DataFrame(rows).set_index("configuration")
    return table.sort_values("area", ascending=not higher)


def check_baseline(baseline: str | None, labels: list[str]) -> None:
    from mmbench.errors import MmbenchError

    if baseline is not None and baseline not in labels:
        raise MmbenchError(
            f"--baseline: no configuration '{baseline}'{did_you_mean(baseline, labels)} "
            f"(configurations: {', '.join(labels) or 'none'})"
        )
