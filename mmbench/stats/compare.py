"""``compare``: the leaderboard's statistics — each configuration's mean with a calibrated 95%
interval and a corrected test against a reference (or the best), from per-example scores.

Method (see :mod:`mmbench.stats.inference`): seed-level inference — each seed's corpus score,
the variance of a mean = seed variance / n_seeds + the cluster-robust test-population
component, examples paired across configurations, seeds independent, and a t-quantile with
Welch–Satterthwaite degrees of freedom. Family-wise error by Holm (1979):

* ``reference`` named (a baseline fixed before the results were seen): Holm over the
  ``K − 1`` comparisons with it;
* ``reference=None``: the best is chosen from the data, so every pair is tested and Holm runs
  over all ``K (K − 1) / 2`` pairs; a configuration is *tied with the best* when its pair with
  the observed best is not rejected. Because the family is all pairs, the probability that a
  study marks *any* configuration "significantly below the best" when none differ is ≤ alpha
  (the winner's curse is controlled, cf. Hansen, Lunde & Nason 2011, "The model confidence set").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import combinations

import numpy as np
import pandas as pd

from mmbench.registry import did_you_mean
from mmbench.stats.improvement import probability_of_improvement
from mmbench.stats.inference import Estimate, Pooled, difference, mean_estimate, pool
from mmbench.stats.inputs import Prepared, StatsInputError, prepare
from mmbench.stats.multiple import holm
from mmbench.stats.power import seeds_needed
from mmbench.stats.variance import Summary, paired_example_var, summarise

COLUMNS = [
    "mean", "ci_low", "ci_high", "se", "df", "n_seeds", "interval_covers",
    "delta", "delta_low", "delta_high", "delta_se", "delta_df", "p_raw", "p", "significant",
    "tied_with_best",
    "is_reference", "p_improvement", "p_improvement_low", "p_improvement_high",
    "seeds_needed", "note",
]  # fmt: skip


def summaries_of(prep: Prepared) -> list[Summary]:
    """One :class:`~mmbench.stats.variance.Summary` per configuration."""
    dens = prep.denominators or [None] * len(prep.scores)
    return [summarise(x, prep.cluster, prep.n_clusters, d) for x, d in zip(prep.scores, dens)]


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise StatsInputError(f"compare: alpha must be in (0, 1), found {alpha}")


def _seeds_needed(
    a: Summary, b: Summary, effect: float, alpha: float, pooled: Pooled | None
) -> float:
    """Seeds per configuration to detect ``effect`` between a and b with 80 % power."""
    var_a = a.seed_var if a.n_seeds > 1 else (pooled.seed_var if pooled else b.seed_var)
    var_b = b.seed_var if b.n_seeds > 1 else (pooled.seed_var if pooled else a.seed_var)
    if not (math.isfinite(var_a) and math.isfinite(var_b) and math.isfinite(effect)) or effect == 0:
        return math.nan
    example_var, example_df = 0.0, math.inf
    if a.n_clusters > 1 and a.n_seeds > 1 and b.n_seeds > 1:
        v_int = a.interaction_var() + b.interaction_var()
        example_var = max(0.0, paired_example_var(a, b) - v_int)
        example_df = a.n_clusters - 1
    return seeds_needed(effect, var_a, var_b, example_var, example_df, alpha=alpha)


def compare(
    scores: Mapping[str, object],
    reference: str | None = None,
    groups: object | None = None,
    higher_is_better: bool = True,
    alpha: float = 0.05,
    seed: int = 0,
    denominators: Mapping[str, object] | None = None,
    *,
    pool_seed_variance: bool = False,
    effect: float | None = None,
) -> pd.DataFrame:
    """Compare configurations across seeds and test examples.

    Args:
        scores: configuration → ``(n_seeds, n_examples)`` per-example scores; columns are the
            same test examples in the same order for every configuration.
        reference: the configuration the others are tested against (a pre-registered
            baseline); ``None``: the observed best, with all pairs tested (see module docstring).
        groups: ``(n_examples,)`` cluster ids (image id, speaker, document): clusters, not
            examples, are then the independent units of the test population.
        higher_is_better: ``False`` for error rates (WER, CER).
        alpha: level of the tests and ``1 − alpha`` intervals.
        seed: random seed of the bootstrap interval of ``p_improvement`` (the tests and
            intervals are analytic and deterministic).
        denominators: configuration → ``(n_seeds, n_examples)`` (or ``(n_examples,)``)
            per-example denominators of a ratio metric; a seed's corpus score is then
            ``Σ scores / Σ denominators`` (corpus WER = Σ errors / Σ reference words).
        pool_seed_variance: give configurations with one seed the seed variance pooled over
            those with ≥ 2 (assumes equal seed variances; said in ``note``).
        effect: difference for ``seeds_needed`` (score units); default the observed ``|delta|``.

    Returns:
        DataFrame indexed by configuration (given order) with :data:`COLUMNS`:
        ``mean`` (mean over seeds of the corpus score), ``ci_low``/``ci_high`` (``1 − alpha``
        interval of the expected score over seeds and the test population, or of the test
        examples only — see ``interval_covers``), ``se``, ``df`` (Welch–Satterthwaite),
        ``n_seeds``, ``delta`` (mean − reference mean) with ``delta_se``, ``delta_df`` and
        ``delta_low``/``delta_high`` (per
        comparison for a named reference; with ``reference=None`` simultaneous over all tested
        pairs, Bonferroni, so they hold after choosing the best), ``p_raw``, ``p`` (two-sided,
        Holm-corrected, NaN for the reference and where no test is made), ``significant``
        (``p < alpha``), ``tied_with_best`` (``reference=None`` only, else NA),
        ``is_reference``, ``p_improvement`` = P(a seed of this configuration beats a seed of the
        reference) with bootstrap ``p_improvement_low``/``high``, ``seeds_needed`` (per
        configuration, 80 % power at ``alpha`` for ``effect``), ``note``. ``attrs`` hold
        ``reference``, ``best``, ``correction``, ``delta_interval``, ``alpha``, ``n_examples``,
        ``n_clusters``, ``clustered``, ``method``.

    Raises:
        StatsInputError (a ValueError and MmbenchError): misaligned shapes, non-finite values,
            no configurations, an unknown reference (with did-you-mean).
    """
    _check_alpha(alpha)
    prep = prepare(scores, groups, denominators)
    names = prep.names
    if reference is not None and reference not in names:
        raise StatsInputError(
            f"compare: unknown reference '{reference}'{did_you_mean(str(reference), names)} "
            f"(configurations: {', '.join(map(str, names))})"
        )
    summ = summaries_of(prep)
    pooled = pool(summ, names) if pool_seed_variance else None
    means = np.array([s.mean for s in summ])
    best = int(np.argmax(means) if higher_is_better else np.argmin(means))
    ref = best if reference is None else names.index(reference)
    k_all = range(len(names))
    others = [k for k in k_all if k != ref]
    if reference is None:
        family = {pair: difference(summ[pair[0]], summ[pair[1]], alpha, pooled)
                  for pair in combinations(k_all, 2)}  # fmt: skip
        what = f"all {len(family)} pairwise comparisons (the best is chosen from the data)"
    else:
        family = {(k, ref): difference(summ[k], summ[ref], alpha, pooled) for k in others}
        what = f"the {len(family)} comparisons with the reference '{reference}'"
    keys = list(family)
    adjusted = dict(zip(keys, holm(np.array([family[key].p for key in keys]))))
    n_tests = int(sum(family[key].tested for key in keys))
    # Against a data-chosen best, per-comparison intervals of the difference suffer the
    # winner's curse; Bonferroni intervals over the tested pairs are simultaneous, so they
    # also cover after the choice.
    level = alpha / max(n_tests, 1) if reference is None else alpha
    vs_ref = {k: difference(summ[k], summ[ref], level, pooled) for k in others}
    delta_interval = (
        f"simultaneous over the {n_tests} tested pairs (Bonferroni)"
        if reference is None
        else "per comparison (uncorrected)"
    )
    rows = []
    for k, s in enumerate(summ):
        m = mean_estimate(s, alpha, pooled)
        row = {"mean": s.mean, "ci_low": m.low, "ci_high": m.high, "se": m.se, "df": m.df,
               "n_seeds": s.n_seeds, "interval_covers": m.covers}  # fmt: skip
        notes = [m.note] if m.note else []
        d: Estimate | None = vs_ref.get(k)
        if d is None:  # the reference
            p_adj, tied = math.nan, (True if reference is None else pd.NA)
            row.update(delta=0.0, delta_low=math.nan, delta_high=math.nan, p_raw=math.nan)
            row.update(delta_se=math.nan, delta_df=math.nan)
            imp = None
        else:
            p_adj = adjusted.get((k, ref), adjusted.get((ref, k), math.nan))
            tied = pd.NA if reference is not None or not d.tested else bool(not p_adj < alpha)
            row.update(delta=d.estimate, delta_low=d.low, delta_high=d.high, p_raw=d.p)
            row.update(delta_se=d.se, delta_df=d.df)
            notes += [d.note] if d.note and d.note not in notes else []
            imp = probability_of_improvement(
                s.per_seed, summ[ref].per_seed, higher_is_better, seed=seed + k
            )
        size = abs(row["delta"]) if effect is None else float(effect)
        row.update(
            p=p_adj,
            significant=bool(p_adj < alpha),
            tied_with_best=tied,
            is_reference=k == ref,
            p_improvement=math.nan if imp is None else imp.estimate,
            p_improvement_low=math.nan if imp is None else imp.low,
            p_improvement_high=math.nan if imp is None else imp.high,
            seeds_needed=math.nan if k == ref else _seeds_needed(s, summ[ref], size, alpha, pooled),
            note="; ".join(n for n in notes if n),
        )
        rows.append(row)
    table = pd.DataFrame(rows, index=pd.Index(names, name="configuration"))[COLUMNS]
    table["tied_with_best"] = table["tied_with_best"].astype("boolean")
    table.attrs.update(
        reference=names[ref],
        best=names[best],
        alpha=alpha,
        correction=f"Holm over {what}; {n_tests} tested",
        delta_interval=delta_interval,
        n_examples=prep.n_examples,
        n_clusters=prep.n_clusters,
        clustered=prep.clustered,
        method="seed-level Welch–Satterthwaite t with a cluster-robust test-population component",
    )
    return table
