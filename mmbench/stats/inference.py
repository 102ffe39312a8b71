"""Seed-level inference for one configuration's mean and for the difference of two.

The variance of a mean is ``S²_T / n + (V_ex − V_int)`` (see :mod:`mmbench.stats.variance`):
the seeds' spread of corpus scores plus the test-population component, clipped at zero when the
estimate of the latter is negative. For a *difference* the seeds of the two configurations are
independent (their seed components add) while the test examples are paired (the example
component is computed on per-cluster differences, so example difficulty shared by both
cancels). Degrees of freedom combine by Welch–Satterthwaite and the interval or test uses a
t-quantile. This is the seed-level analysis that Bouthillier et al. (2021, "Accounting for
Variance in Machine Learning Benchmarks", MLSys) recommend, with the test-set sampling
component added so the target is the expected score over seeds *and* the test population.

With one seed there is no estimate of the seed variance: a configuration's interval then covers
the test examples only, and no difference is tested — unless a seed variance pooled over the
configurations with ≥ 2 seeds is borrowed (``Pooled``), which assumes equal seed variances.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mmbench.stats.variance import Summary, paired_example_var
from mmbench.stats.welch import satterthwaite, t_interval, t_pvalue, welch_df

SEEDS_AND_EXAMPLES = "seeds and examples"
EXAMPLES_ONLY = "test examples only"
SEEDS_ONLY = "seeds only (test set fixed)"
NEEDS_SEEDS = "needs ≥ 2 seeds"


@dataclass(frozen=True)
class Pooled:
    """Seed and interaction variances pooled over the configurations with ≥ 2 seeds.

    ``members`` keeps each source with its weight ``(n_k − 1) / Σ (n_k − 1)``, so that a
    comparison involving a source and a configuration that borrows from it counts the shared
    estimate once (their components are then perfectly correlated, not independent).
    """

    seed_var: float
    interaction: float
    df: int
    sources: tuple[str, ...]
    members: tuple[tuple[Summary, float], ...] = ()

    @property
    def note(self) -> str:
        return f"seed variance pooled from {', '.join(self.sources)} (df {self.df})"


def pool(summaries: list[Summary], names: list[str]) -> Pooled | None:
    """``Σ (n_k − 1) s²_k / Σ (n_k − 1)`` over configurations with ≥ 2 seeds, or None."""
    multi = [(s, n) for s, n in zip(summaries, names) if s.n_seeds >= 2]
    if not multi:
        return None
    w = np.array([s.n_seeds - 1 for s, _ in multi], dtype=np.float64)
    w_norm = w / w.sum()
    seed_var = float(np.sum(w_norm * [s.seed_var for s, _ in multi]))
    interaction = float(np.sum(w_norm * [s.interaction for s, _ in multi]))
    members = tuple((s, float(x)) for (s, _), x in zip(multi, w_norm))
    return Pooled(seed_var, interaction, int(w.sum()), tuple(n for _, n in multi), members)


@dataclass(frozen=True)
class Estimate:
    """A mean or a difference with its standard error and t interval.

    ``covers`` says which sources of variation the interval includes; ``p`` is the raw
    two-sided p-value of a difference (NaN for a mean, or when no test is made).
    """

    estimate: float
    se: float
    df: float
    low: float
    high: float
    covers: str
    p: float = math.nan
    note: str = ""

    @property
    def tested(self) -> bool:
        return not math.isnan(self.p)


def _seed_parts(s: Summary, pooled: Pooled | None) -> list[tuple[Summary, float]] | None:
    """The independent seed-variance estimates ``s`` draws on, with weights: its own, or the
    pooled sources; None with one seed and nothing pooled."""
    if s.n_seeds >= 2:
        return [(s, 1.0)]
    if pooled is not None:
        return list(pooled.members)
    return None


def _combine(
    parts: list[tuple[Summary, list[tuple[Summary, float]]]],
    v_ex: float,
    alpha: float,
    estimate: float,
) -> Estimate:
    """Seed components as a linear combination of the independent per-configuration estimates
    (a shared, pooled estimate counts once) + the test-population component."""
    basis: dict[int, list] = {}  # id(source) → [source, seed coefficient, interaction coeff.]
    for s, sources in parts:
        for m, w in sources:
            entry = basis.setdefault(id(m), [m, 0.0, 0.0])
            entry[1] += w / s.n_seeds
            entry[2] += w * s.cr1 / s.n_seeds
    g1 = parts[0][0].n_clusters - 1
    seed_comps = [(c * m.seed_var, m.n_seeds - 1) for m, c, _ in basis.values()]
    v_int = [(-c * m.interaction, (m.n_seeds - 1) * g1) for m, _, c in basis.values()]
    covers, note, rest = SEEDS_AND_EXAMPLES, "", []
    if g1 < 1:
        covers, note = SEEDS_ONLY, "example variance not estimable (one cluster)"
    elif v_ex + sum(v for v, _ in v_int) > 0:
        rest = [(v_ex, g1)] + v_int
    var, df = welch_df(seed_comps, rest)
    low, high = t_interval(estimate, var, df, alpha)
    if var == 0:
        note = "zero variance"
    return Estimate(estimate, math.sqrt(var), df, low, high, covers, note=note)


def mean_estimate(s: Summary, alpha: float, pooled: Pooled | None = None) -> Estimate:
    """Interval for one configuration's expected score over seeds and the test population
    (test examples only when it has one seed and nothing is pooled)."""
    parts = _seed_parts(s, pooled)
    if parts is None:
        if s.n_clusters < 2:
            return Estimate(
                s.mean, math.nan, math.nan, math.nan, math.nan, EXAMPLES_ONLY, note=NEEDS_SEEDS
            )
        var, df = satterthwaite([(s.example_var(), s.n_clusters - 1)])
        low, high = t_interval(s.mean, var, df, alpha)
        return Estimate(s.mean, math.sqrt(var), df, low, high, EXAMPLES_ONLY, note=NEEDS_SEEDS)
    est = _combine([(s, parts)], s.example_var(), alpha, s.mean)
    if s.n_seeds < 2:
        return Estimate(**{**est.__dict__, "note": pooled.note})
    return est


def difference(a: Summary, b: Summary, alpha: float, pooled: Pooled | None = None) -> Estimate:
    """``mean_a − mean_b`` with its interval and raw two-sided p-value (Welch t test with the
    paired test-population component); NaN and a note when a side has one seed unpooled."""
    delta = a.mean - b.mean
    pa, pb = _seed_parts(a, pooled), _seed_parts(b, pooled)
    if pa is None or pb is None:
        nan = math.nan
        return Estimate(delta, nan, nan, nan, nan, SEEDS_AND_EXAMPLES, note=NEEDS_SEEDS)
    est = _combine([(a, pa), (b, pb)], paired_example_var(a, b), alpha, delta)
    notes = [est.note] if est.note else []
    if pooled is not None and min(a.n_seeds, b.n_seeds) < 2:
        notes.append(pooled.note)
    p = t_pvalue(delta, est.se**2, est.df)
    return Estimate(**{**est.__dict__, "p": p, "note": "; ".join(notes)})
