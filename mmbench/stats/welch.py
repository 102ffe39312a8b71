"""Combining variance components with Welch–Satterthwaite degrees of freedom; t intervals/tests.

A variance estimate ``V = Σ_j c_j s²_j`` built from independent mean squares with ``ν_j``
degrees of freedom is approximately ``χ²_ν V / ν`` with

    ν = V² / Σ_j (c_j s²_j)² / ν_j

(Satterthwaite 1946, Biometrics Bulletin 2(6); Welch 1947, "The generalization of 'Student's'
problem when several different population variances are involved", Biometrika 34). A
t-quantile with ``ν`` degrees of freedom keeps intervals honest with 2–3 seeds, where a normal
quantile (or a bootstrap over the seeds) is far too narrow.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from scipy import stats as sps


def satterthwaite(components: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """``(value, df)`` components → ``(variance, df)``; zero components are left out, an
    infinite ``df`` (a known variance) adds nothing to the denominator. ``df`` is NaN when the
    variance is not positive."""
    comps = [(v, d) for v, d in components if v != 0.0]
    var = math.fsum(v for v, _ in comps)
    if not var > 0:
        return max(var, 0.0), float("nan")
    denom = math.fsum(v * v / d for v, d in comps if math.isfinite(d))
    return var, (var * var / denom if denom > 0 else math.inf)


def t_interval(estimate: float, var: float, df: float, alpha: float) -> tuple[float, float]:
    """Two-sided ``1 − alpha`` interval ``estimate ± t_{df, 1−α/2} √var`` (NaN if undefined)."""
    if not (var >= 0 and df > 0):
        return float("nan"), float("nan")
    half = float(sps.t.ppf(1 - alpha / 2, df)) * math.sqrt(var)
    return estimate - half, estimate + half


def t_pvalue(estimate: float, var: float, df: float) -> float:
    """Two-sided p-value of ``estimate = 0``; with zero variance, 1 for a zero estimate and 0
    otherwise (a deterministic difference)."""
    if var == 0:
        return 1.0 if estimate == 0 else 0.0
    if not (var > 0 and df > 0):
        return float("nan")
    return float(2 * sps.t.sf(abs(estimate) / math.sqrt(var), df))
