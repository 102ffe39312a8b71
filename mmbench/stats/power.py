"""How many seeds would detect a difference: two-sample power analysis with the t test.

The difference of two configurations' means, each over ``n`` seeds, has variance
``(σ²_A + σ²_B) / n + V_pop`` where ``σ²`` are the seed variances of the corpus score and
``V_pop`` the (paired) test-population component, which more seeds do not shrink. The two-sided
Welch test at level ``alpha`` has power ``P(|t'| > t_{ν, 1−α/2})`` for a noncentral t with
noncentrality ``δ / √Var`` and Welch–Satterthwaite ``ν`` (Cohen, "Statistical Power Analysis
for the Behavioral Sciences", 1988, ch. 2). :func:`seeds_needed` is the smallest ``n`` with
power ≥ the target; ``inf`` when even infinitely many seeds would not reach it (then the test
set, not the seeds, limits the comparison).
"""

from __future__ import annotations

import math

from scipy import special

from mmbench.stats.inputs import StatsInputError
from mmbench.stats.welch import satterthwaite, t_quantile


def power_of(
    delta: float,
    n: int,
    seed_var_a: float,
    seed_var_b: float,
    example_var: float = 0.0,
    example_df: float = math.inf,
    alpha: float = 0.05,
) -> float:
    """Power of the two-sided test of a true difference ``delta`` with ``n`` seeds each."""
    var, df = satterthwaite(
        [(seed_var_a / n, n - 1), (seed_var_b / n, n - 1), (example_var, example_df)]
    )
    if var == 0:
        return 1.0 if delta != 0 else alpha
    crit = t_quantile(1 - alpha / 2, df)
    ncp = abs(delta) / math.sqrt(var)
    if ncp - crit > 12:  # power is 1 to double precision (and scipy's nct can return NaN there)
        return 1.0
    power = math.nan
    if df < 1e4:  # beyond, the t is normal to 4 digits (and scipy's nct may return NaN)
        power = float(1 - special.nctdtr(df, ncp, crit) + special.nctdtr(df, ncp, -crit))
    if math.isnan(power):
        power = float(special.ndtr(ncp - crit) + special.ndtr(-crit - ncp))
    return power


def seeds_needed(
    delta: float,
    seed_var_a: float,
    seed_var_b: float | None = None,
    example_var: float = 0.0,
    example_df: float = math.inf,
    alpha: float = 0.05,
    power: float = 0.8,
    max_seeds: int = 1000,
) -> float:
    """Seeds per configuration for ``power`` to detect a true difference ``delta``.

    Args:
        delta: the difference to detect, in score units (e.g. 0.03 for 3 accuracy points).
        seed_var_a, seed_var_b: seed variances of the corpus score (``b`` defaults to ``a``).
        example_var: paired test-population variance of the difference (``V_ex − V_int`` of
            :mod:`mmbench.stats.variance`; 0 for a fixed test set), with ``example_df`` d.o.f.
        alpha: two-sided level (uncorrected for multiple comparisons).

    Returns:
        The smallest ``n ≥ 2``, or ``inf`` if no ``n ≤ max_seeds`` reaches ``power``.
    """
    b = seed_var_a if seed_var_b is None else seed_var_b
    values = (delta, seed_var_a, b, example_var)
    if not all(math.isfinite(v) for v in values) or min(seed_var_a, b, example_var) < 0:
        raise StatsInputError(
            f"seeds_needed: needs finite delta and non-negative variances, found {values}"
        )
    if delta == 0:
        return math.inf

    def ok(n: int) -> bool:
        return power_of(delta, n, seed_var_a, b, example_var, example_df, alpha) >= power

    if not ok(max_seeds):
        return math.inf
    lo, hi = 2, max_seeds  # power grows with n: bisect for the first n that reaches it
    if ok(lo):
        return float(lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return float(hi)
