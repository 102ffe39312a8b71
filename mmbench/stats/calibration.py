"""Measuring :func:`mmbench.stats.compare` on simulated studies whose truth is known.

For a regime (:class:`~mmbench.stats.simulate.Regime`) and a number of seeds, ``measure`` runs
many independent studies and counts

* ``rejected``: studies where a comparison was marked significant (with no true difference:
  the false-positive rate, which should be ≤ alpha; with one: the power);
* ``coverage``: share of the configurations' ``1 − alpha`` intervals that contain the true
  expected score over seeds and the test population (should be ≥ 1 − alpha);
* ``delta_coverage``: the same for the interval of the difference from the reference;
* ``tested``: share of studies where a test was made at all (0 with one seed).

With ``reference=None`` (``best=True``), ``rejected`` counts studies marking *any*
configuration significantly different from the observed best.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mmbench.stats.compare import compare
from mmbench.stats.simulate import Regime, simulate


@dataclass(frozen=True)
class Calibration:
    rejected: float
    coverage: float
    delta_coverage: float
    tested: float
    studies: int

    def mc_error(self, rate: float) -> float:
        """Monte-Carlo standard error of a rate over the studies."""
        return float(np.sqrt(rate * (1 - rate) / self.studies))


def measure(
    regime: Regime,
    n_seeds: int | list[int],
    studies: int,
    n_configs: int = 2,
    effect: float = 0.0,
    best: bool = False,
    seed: int = 0,
    alpha: float = 0.05,
    ignore_groups: bool = False,
    **kwargs,
) -> Calibration:
    """Run ``studies`` simulated studies; configuration ``c0`` is the reference (``best=False``)
    and the last one differs by ``effect`` score units (0: an A/A study). ``n_seeds``: seeds of
    every configuration, or one count per configuration. ``ignore_groups``: analyse clustered
    examples as if independent (to show what that costs). ``kwargs`` go to ``compare``."""
    rng = np.random.default_rng(seed)
    seeds = [n_seeds] * n_configs if isinstance(n_seeds, int) else list(n_seeds)
    shifts = [0.0] * n_configs
    if effect:
        shifts[-1] = regime.shift_for(effect)
    rejected = tested = covered = n_intervals = d_covered = n_deltas = 0
    for i in range(studies):
        st = simulate(regime, seeds, shifts, rng)
        table = compare(
            st.scores,
            reference=None if best else "c0",
            groups=None if ignore_groups else st.groups,
            higher_is_better=regime.score != "ratio",
            alpha=alpha,
            denominators=st.denominators,
            seed=i,
            **kwargs,
        )
        rejected += bool(table["significant"].any())
        tested += bool(table["p"].notna().any())
        truth = np.array([st.truth[k] for k in table.index])
        ok = table["ci_low"].notna().to_numpy()
        lo, hi = table["ci_low"].to_numpy(), table["ci_high"].to_numpy()
        covered += int(np.sum((lo <= truth) & (truth <= hi) & ok))
        n_intervals += int(ok.sum())
        ref = table.attrs["reference"]
        true_delta = truth - st.truth[ref]
        dl, dh = table["delta_low"].to_numpy(), table["delta_high"].to_numpy()
        dok = ~np.isnan(dl)
        d_covered += int(np.sum((dl <= true_delta) & (true_delta <= dh) & dok))
        n_deltas += int(dok.sum())
    nan = float("nan")
    return Calibration(
        rejected / studies,
        covered / n_intervals if n_intervals else nan,
        d_covered / n_deltas if n_deltas else nan,
        tested / studies,
        studies,
    )
