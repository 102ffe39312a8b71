"""The degrees of freedom of a seed component plus a well-estimated example component.

With one seed d.o.f. and a 90 % seed share, Satterthwaite's plug-in ν makes a 95 % interval
cover about 87 %: a seed variance that is small by chance also raises ν. ``welch_df`` evaluates
ν at an upper bound of the seed part and keeps the coverage.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mmbench.stats.welch import satterthwaite, t_quantile, welch_df


def coverage(nu: int, share: float, rule, draws: int = 6000) -> float:
    rng = np.random.default_rng(nu)
    z = rng.standard_normal(draws)  # (estimate − truth) / true standard error
    seed = share * rng.chisquare(nu, draws) / nu  # estimated seed part, true value `share`
    hits = 0
    for zi, si in zip(z, seed):
        var, df = rule(si)
        hits += abs(zi) <= t_quantile(0.975, df) * math.sqrt(var)
    return hits / draws


@pytest.mark.parametrize(("nu", "share"), [(1, 0.9), (1, 0.5), (2, 0.9), (4, 0.7)])
def test_upper_bound_df_keeps_the_coverage(nu, share):
    rest = [(1 - share, 999)]
    got = coverage(nu, share, lambda s: welch_df([(s, nu)], rest))
    assert got >= 0.95 - 3 * math.sqrt(0.05 * 0.95 / 6000)


def test_plain_satterthwaite_undercovers_with_one_seed_df():
    rest = [(0.1, 999)]
    got = coverage(1, 0.9, lambda s: satterthwaite([(s, 1)] + rest))
    assert got < 0.9


def test_satterthwaite_formula():
    var, df = satterthwaite([(2.0, 4), (1.0, 9), (0.0, 1)])
    assert var == 3.0 and df == pytest.approx(9 / (4 / 4 + 1 / 9))
    assert satterthwaite([(1.0, math.inf)]) == (1.0, math.inf)
