"""Average ranks, Friedman test and Nemenyi CD against scipy and Demšar (2006)'s worked example."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from mmbench.stats.ranks import (
    Q_ALPHA,
    critical_difference,
    friedman_from_ranks,
    q_alpha,
    rank_test,
    ranks,
)


def test_ranks_follow_each_rows_direction_and_average_ties():
    scores = np.array([[0.9, 0.8, 0.8], [0.1, 0.3, 0.2]])  # accuracy; WER
    r = ranks(scores, [True, False])
    assert r.tolist() == [[1.0, 2.5, 2.5], [1.0, 3.0, 2.0]]


@pytest.mark.parametrize("seed", range(5))
def test_friedman_matches_scipy_and_demsars_formula(seed):
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(8, 5)) + np.arange(5)  # continuous: no ties
    higher = rng.random(8) < 0.5
    test = rank_test(scores, higher)
    signed = np.where(higher[:, None], -scores, scores)
    ref = sps.friedmanchisquare(*signed.T)
    assert test.chi2 == pytest.approx(ref.statistic) and test.p == pytest.approx(ref.pvalue)
    chi2, ff = friedman_from_ranks(test.avg_ranks, 8)
    assert chi2 == pytest.approx(ref.statistic)
    assert test.ff == pytest.approx(ff)
    assert test.p_ff == pytest.approx(sps.f.sf(ff, 4, 4 * 7))


def test_demsars_worked_example():
    # Demšar (2006), section 3.2.4: four C4.5 variants on 14 data sets
    chi2, ff = friedman_from_ranks(np.array([3.143, 2.000, 2.893, 1.964]), 14)
    assert chi2 == pytest.approx(9.28, abs=0.01)
    assert ff == pytest.approx(3.69, abs=0.01)
    assert critical_difference(4, 14) == pytest.approx(1.25, abs=0.005)
    assert critical_difference(4, 14, alpha=0.10) == pytest.approx(1.12, abs=0.005)


def test_q_alpha_table_agrees_with_the_studentized_range():
    for alpha, table in Q_ALPHA.items():
        for k, q in enumerate(table, start=2):
            exact = sps.studentized_range.ppf(1 - alpha, k, np.inf) / np.sqrt(2)
            assert q == pytest.approx(exact, abs=1.5e-3)
    assert q_alpha(12) == pytest.approx(3.268, abs=2e-3)  # beyond the table: scipy
    with pytest.raises(ValueError):
        q_alpha(1)
