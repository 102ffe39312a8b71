"""Probability of improvement: how often a run of A beats a run of B on this test set.

``P(A > B) = (1 / (n_A n_B)) Σ_s Σ_t [T^A_s > T^B_t] + ½ [T^A_s = T^B_t]`` over the seeds'
corpus scores — the Mann–Whitney statistic, which Agarwal et al. ("Deep Reinforcement Learning
at the Edge of the Statistical Precipice", NeurIPS 2021; the rliable library) report with a
stratified bootstrap interval: seeds are resampled with replacement *within* each configuration.
With few seeds the interval is coarse (with 2 seeds per side it takes few distinct values);
Agarwal et al. use it with ≥ 5 runs. It answers "which is better across seeds" on the fixed test
set, unlike the test of means in :func:`mmbench.stats.compare`, which also accounts for the test
population.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mmbench.stats.inputs import StatsInputError, as_matrix


@dataclass(frozen=True)
class Improvement:
    """``estimate`` = P(A better than B) across seeds, with its bootstrap ``low``/``high``
    (NaN when a side has a single seed)."""

    estimate: float
    low: float
    high: float
    n_a: int
    n_b: int


def _per_seed(x: object, d: object | None, where: str) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 1:  # already one corpus score per seed
        if d is not None:
            raise StatsInputError(f"{where}: denominators need (n_seeds, n_examples) scores")
        if not len(arr) or not np.isfinite(arr).all():
            raise StatsInputError(f"{where}: needs ≥ 1 finite per-seed score")
        return arr
    m = as_matrix(arr, where, None)
    if d is None:
        return m.mean(axis=1)
    den = np.asarray(d, dtype=np.float64)
    den = as_matrix(
        np.broadcast_to(den, m.shape) if den.ndim == 1 else den, where + " denominators", m.shape[1]
    )
    if den.shape != m.shape or (den.sum(axis=1) <= 0).any():
        raise StatsInputError(f"{where}: denominators of shape {m.shape} with positive sums needed")
    return m.sum(axis=1) / den.sum(axis=1)


def _wins(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``(..., n_a)`` and ``(..., n_b)`` → ``(...)`` share of (a, b) pairs where a > b."""
    diff = a[..., :, None] - b[..., None, :]
    return ((diff > 0) + 0.5 * (diff == 0)).mean(axis=(-2, -1))


def probability_of_improvement(
    a: object,
    b: object,
    higher_is_better: bool = True,
    denominators_a: object | None = None,
    denominators_b: object | None = None,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
) -> Improvement:
    """P(a run of A is better than a run of B) with a stratified bootstrap interval.

    Args:
        a, b: ``(n_seeds, n_examples)`` per-example scores (the corpus score of a seed is their
            mean, or ``Σ scores / Σ denominators``), or ``(n_seeds,)`` corpus scores.
        higher_is_better: ``False`` for error rates (WER): "better" means lower.
        denominators_a, denominators_b: for ratio metrics, shaped like ``a`` / ``b`` (or
            ``(n_examples,)``).
        confidence: of the percentile interval.
        n_resamples, seed: bootstrap replicates and their random seed.
    """
    if not 0 < confidence < 1 or n_resamples < 1:
        raise StatsInputError(
            f"probability_of_improvement: confidence in (0, 1) and n_resamples ≥ 1 needed, "
            f"found {confidence}, {n_resamples}"
        )
    ta = _per_seed(a, denominators_a, "probability_of_improvement: a")
    tb = _per_seed(b, denominators_b, "probability_of_improvement: b")
    if not higher_is_better:
        ta, tb = -ta, -tb
    est = float(_wins(ta, tb))
    if len(ta) < 2 or len(tb) < 2:
        return Improvement(est, float("nan"), float("nan"), len(ta), len(tb))
    rng = np.random.default_rng(seed)
    ra = ta[rng.integers(0, len(ta), size=(n_resamples, len(ta)))]  # (B, n_a)
    rb = tb[rng.integers(0, len(tb), size=(n_resamples, len(tb)))]  # (B, n_b)
    chunk = max(1, 2_000_000 // (len(ta) * len(tb)))  # ≤ 16 MB of pairwise differences
    wins = np.concatenate([_wins(ra[i : i + chunk], rb[i : i + chunk])
                           for i in range(0, n_resamples, chunk)])  # fmt: skip
    tail = (1 - confidence) / 2
    low, high = np.quantile(wins, [tail, 1 - tail])
    return Improvement(est, float(low), float(high), len(ta), len(tb))
