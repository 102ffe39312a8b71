"""Ranking configurations over several datasets: average ranks, Friedman test, Nemenyi CD.

Following Demšar (2006), "Statistical Comparisons of Classifiers over Multiple Data Sets",
JMLR 7:1–30: on each of N datasets the k configurations are ranked (1 = best, ties get the
average rank); the Friedman test asks whether the average ranks R_j differ more than chance,

    χ²_F = 12 N / (k (k+1)) · [Σ_j R_j² − k (k+1)² / 4]   (χ² with k − 1 df),

with Iman and Davenport's less conservative F_F = (N − 1) χ²_F / (N (k − 1) − χ²_F)
(F with k − 1 and (k − 1)(N − 1) df). After it, the Nemenyi post-hoc test calls two
configurations different when their average ranks differ by at least the critical difference

    CD = q_α · sqrt(k (k+1) / (6 N)),

q_α the studentized range statistic for k groups and infinite df divided by √2 (Demšar's
Table 5a for k ≤ 10; beyond, computed by ``scipy.stats.studentized_range``). The reported
statistic is ``scipy.stats.friedmanchisquare``'s (it corrects for ties); the tests check the
formula above against it and against Demšar's worked example (k = 4, N = 14: χ²_F = 9.28,
F_F = 3.69, CD = 1.25 at α = 0.05).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

# Demšar (2006), Table 5(a): q_α for the two-tailed Nemenyi test, k = 2 … 10 configurations
Q_ALPHA = {
    0.05: (1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164),
    0.10: (1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920),
}


def ranks(scores: np.ndarray, higher_is_better: np.ndarray | list[bool]) -> np.ndarray:
    """``(N, k)`` ranks per dataset (row) of ``scores (N, k)``, 1 = best, ties averaged;
    ``higher_is_better (N,)``: the direction of each row's metric."""
    scores = np.asarray(scores, dtype=float)
    signs = np.where(np.asarray(higher_is_better, dtype=bool), -1.0, 1.0)[:, None]
    return np.vstack([sps.rankdata(row) for row in scores * signs])


def q_alpha(k: int, alpha: float = 0.05) -> float:
    """Nemenyi's q_α for ``k`` configurations (Demšar's table, else scipy)."""
    if k < 2:
        raise ValueError(f"q_alpha: needs k >= 2 configurations, found {k}")
    table = Q_ALPHA.get(alpha)
    if table is not None and k <= 1 + len(table):
        return table[k - 2]
    return float(sps.studentized_range.ppf(1 - alpha, k, np.inf) / math.sqrt(2))


def critical_difference(k: int, n: int, alpha: float = 0.05) -> float:
    """Nemenyi CD of average ranks for ``k`` configurations on ``n`` datasets."""
    return q_alpha(k, alpha) * math.sqrt(k * (k + 1) / (6 * n))


def friedman_from_ranks(avg_ranks: np.ndarray, n: int) -> tuple[float, float]:
    """Demšar's χ²_F and Iman–Davenport F_F from the ``(k,)`` average ranks over ``n`` datasets
    (no tie correction)."""
    r = np.asarray(avg_ranks, dtype=float)
    k = len(r)
    chi2 = 12 * n / (k * (k + 1)) * (np.sum(r**2) - k * (k + 1) ** 2 / 4)
    denom = n * (k - 1) - chi2
    ff = (n - 1) * chi2 / denom if denom > 0 else math.inf
    return float(chi2), float(ff)


@dataclass
class RankTest:
    avg_ranks: np.ndarray  # (k,)
    ranks: np.ndarray  # (N, k)
    chi2: float  # Friedman χ²_F (scipy, tie-corrected); NaN with k < 3
    p: float
    ff: float  # Iman–Davenport F_F
    p_ff: float
    cd: float  # Nemenyi critical difference at alpha
    alpha: float

    @property
    def n(self) -> int:
        return self.ranks.shape[0]

    @property
    def k(self) -> int:
        return self.ranks.shape[1]


def rank_test(scores: np.ndarray, higher_is_better, alpha: float = 0.05) -> RankTest:
    """Average ranks, Friedman and Iman–Davenport tests and the Nemenyi CD of ``scores (N, k)``
    (N datasets ≥ 2, k configurations ≥ 2; the Friedman test needs k ≥ 3)."""
    r = ranks(scores, higher_is_better)
    n, k = r.shape
    avg = r.mean(axis=0)
    chi2 = p = ff = p_ff = math.nan
    if k >= 3 and n >= 2:
        res = sps.friedmanchisquare(*r.T)  # the ranks: each row's direction already applied
        chi2, p = float(res.statistic), float(res.pvalue)
        denom = n * (k - 1) - chi2
        ff = (n - 1) * chi2 / denom if denom > 0 else math.inf
        p_ff = float(sps.f.sf(ff, k - 1, (k - 1) * (n - 1))) if math.isfinite(ff) else 0.0
    return RankTest(avg, r, chi2, p, ff, p_ff, critical_difference(k, n, alpha), alpha)
