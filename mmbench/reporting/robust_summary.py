"""Summary numbers of robustness curves (MultiBench; Liang et al., 2021, "MultiBench:
Multiscale Benchmarks for Multimodal Representation Learning", NeurIPS Datasets and Benchmarks).

A curve is a configuration's score at the levels of one corruption of one input, the clean
level first and the others in order of increasing severity, treated as evenly spaced steps on
[0, 1] (MultiBench's levels are evenly spaced in [0, 1] too; ours may be σ, a rate or an SNR, so
the steps, not the level values, are the x-axis).

- **Relative robustness** — the area under the score-vs-level curve normalised by the clean
  score: the trapezoid area of ``s_k / s_0`` over the steps, so 1 means no degradation at all
  and 0.5 a linear fall to zero. MultiBench takes the raw area (its scores are accuracies in
  [0, 1]); dividing by the clean score makes configurations with different clean scores
  comparable, as the issue asks. For error rates (lower is better) the ratio is ``s_0 / s_k``,
  so the number reads the same way.
- **Effective robustness** — the score above what a baseline configuration's curve predicts
  once the two clean scores are matched: MultiBench's ``Σ_k f_k − (b_k + f_0 − b_0)``, here
  averaged over the corrupted levels instead of summed (so studies with different numbers of
  levels compare), and sign-flipped for error rates so that positive always means *degrades
  less than the baseline*. The baseline is named by the study (``--baseline``), never a
  number built in here.
- **Multimodal gain** — the area under a configuration's (raw) curve minus the largest area of
  the unimodal configurations of the same sweep (sign-flipped for error rates): positive means
  the fusion keeps an advantage over the best single input across the corruption levels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def severity_order(levels: Sequence[float], clean_level: float) -> list[float]:
    """``levels`` with the clean level first, then by distance from it (``inf`` clean: SNR,
    so decreasing)."""
    if math.isinf(clean_level):
        return sorted(levels, key=lambda x: -x if math.isfinite(x) else -math.inf)
    return sorted(levels, key=lambda x: (abs(x - clean_level), x))


def area(curve: Sequence[float]) -> float:
    """Trapezoid area of ``curve`` over evenly spaced steps on [0, 1] (one point: itself)."""
    y = np.asarray(curve, np.float64)
    if len(y) == 1:
        return float(y[0])
    return float(((y[1:] + y[:-1]) / 2).sum() / (len(y) - 1))


def relative_robustness(curve: Sequence[float], higher_is_better: bool = True) -> float:
    """Area of ``s_k / s_0`` (``s_0 / s_k`` for error rates); NaN when the ratio is undefined."""
    y = np.asarray(curve, np.float64)
    clean = y[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = y / clean if higher_is_better else np.where(y == clean, 1.0, clean / y)
    if not np.all(np.isfinite(ratio)):
        return math.nan
    return area(ratio)


def effective_robustness(
    curve: Sequence[float], baseline: Sequence[float], higher_is_better: bool = True
) -> float:
    """Mean over corrupted levels of ``(f_k − f_0) − (b_k − b_0)`` (negated for error rates)."""
    f, b = np.asarray(curve, np.float64), np.asarray(baseline, np.float64)
    if len(f) != len(b) or len(f) < 2:
        return math.nan
    excess = float(np.mean((f[1:] - f[0]) - (b[1:] - b[0])))
    return excess if higher_is_better else -excess


def multimodal_gain(
    curve: Sequence[float], unimodal: Sequence[Sequence[float]], higher_is_better: bool = True
) -> float:
    """Area of ``curve`` minus the best area among ``unimodal`` curves (NaN without any)."""
    if not unimodal:
        return math.nan
    areas = [area(u) for u in unimodal]
    best = max(areas) if higher_is_better else min(areas)
    gain = area(curve) - best
    return gain if higher_is_better else -gain
