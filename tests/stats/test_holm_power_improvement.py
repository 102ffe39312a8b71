"""Holm's correction, the seeds-needed power analysis and the probability of improvement."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mmbench.stats import holm, power_of, probability_of_improvement, seeds_needed


def test_holm_by_hand_and_nan_left_out():
    # sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 → 0.02, 0.03, 0.06, max(0.06, 0.04)
    got = holm(np.array([0.01, 0.04, np.nan, 0.03, 0.005]))
    np.testing.assert_allclose(got, [0.03, 0.06, np.nan, 0.06, 0.02])


def test_holm_controls_the_family_wise_error_of_independent_nulls():
    rng = np.random.default_rng(0)
    p = rng.random((4000, 10))  # 10 true null hypotheses per family
    any_rejected = (np.apply_along_axis(holm, 1, p) < 0.05).any(axis=1).mean()
    assert any_rejected <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / 4000)
    assert any_rejected > 0.04  # and is not far more conservative than the target


def test_seeds_needed_matches_the_textbook_two_sample_t_test():
    """Cohen (1988) table 2.4.1: d = 1 needs 17 per group, d = 0.5 needs 64 (α = .05, 80 %)."""
    assert seeds_needed(1.0, 1.0) == 17
    assert seeds_needed(0.5, 1.0) == 64
    assert power_of(1.0, 17, 1.0, 1.0) >= 0.8 > power_of(1.0, 16, 1.0, 1.0)


def test_seeds_needed_is_infinite_when_the_test_set_limits():
    # the paired example variance alone leaves δ at one standard error: no number of seeds helps
    assert seeds_needed(0.01, 1e-4, example_var=1e-4) == math.inf
    assert seeds_needed(0.01, 1e-4, example_var=1e-6) < math.inf


def test_probability_of_improvement():
    a, b = np.array([0.7, 0.8, 0.75]), np.array([0.6, 0.65])
    assert probability_of_improvement(a, b).estimate == 1.0
    assert probability_of_improvement(b, a).estimate == 0.0
    assert probability_of_improvement(a, b, higher_is_better=False).estimate == 0.0
    tie = probability_of_improvement([0.5, 0.6], [0.5, 0.6])
    assert tie.estimate == 0.5 and tie.low < 0.5 < tie.high
    one = probability_of_improvement([0.5], [0.4, 0.6])
    assert one.estimate == 0.5 and math.isnan(one.low)
    # per-example matrices: each seed's corpus score, Σ/Σ with denominators
    x = np.array([[1.0, 3.0], [2.0, 2.0]])
    d = np.array([[1.0, 3.0], [1.0, 1.0]])  # corpus scores 1.0 and 2.0
    assert probability_of_improvement(x, [1.5], denominators_a=d).estimate == 0.5
    assert probability_of_improvement(x, [1.5]).estimate == 1.0  # means 2.0 and 2.0


@pytest.mark.parametrize("n", [5, 10])
def test_probability_of_improvement_interval_is_seeded(n):
    rng = np.random.default_rng(n)
    a, b = rng.normal(0.6, 0.02, n), rng.normal(0.59, 0.02, n)
    assert probability_of_improvement(a, b, seed=1) == probability_of_improvement(a, b, seed=1)
