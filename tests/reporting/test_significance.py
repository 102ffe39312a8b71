"""The hierarchical bootstrap: intervals, paired tests and Holm's correction."""

from __future__ import annotations

import numpy as np
import pytest

from mmbench.reporting.significance import compare, holm, matches_corpus


def correct(rng: np.random.Generator, p: float, seeds: int = 3, n: int = 800) -> np.ndarray:
    """0/100 per-example scores of `seeds` runs answering right with probability p."""
    return (rng.random((seeds, n)) < p).astype(float) * 100


def test_a_clearly_worse_configuration_is_significant_and_a_copy_is_not():
    rng = np.random.default_rng(0)
    good = correct(rng, 0.60)
    result = compare([good, correct(rng, 0.45), good.copy()])
    assert result.best in (0, 2)
    assert result.reference == result.best and result.p[1] < 0.01
    assert result.different().tolist() == [False, True, False]
    other = 2 if result.best == 0 else 0
    assert result.p[other] == 1.0  # identical scores: every replicate ties


def test_pairing_over_examples_detects_a_small_consistent_gain():
    # Same hard/easy examples for both: a 2-point gain on top of large example variance is
    # found only because the example draws are shared (paired) across configurations.
    rng = np.random.default_rng(1)
    difficulty = rng.random(2000)
    base = np.stack([(difficulty < 0.5).astype(float) * 100] * 2)
    better = base.copy()
    better[:, np.flatnonzero(difficulty >= 0.5)[:40]] = 100.0  # +2 points on every seed
    result = compare([better, base], n_resamples=1000)
    assert result.best == 0 and result.p[1] < 0.01


def test_a_named_reference_is_tested_against_instead_of_the_best():
    rng = np.random.default_rng(3)
    low, mid, high = correct(rng, 0.40), correct(rng, 0.50), correct(rng, 0.60)
    result = compare([low, mid, high], reference=1)
    assert result.best == 2 and result.reference == 1 and np.isnan(result.p[1])
    assert result.different().tolist() == [True, False, True]


def test_intervals_contain_the_mean_are_seeded_and_lower_is_better_flips_the_best():
    rng = np.random.default_rng(2)
    scores = [correct(rng, 0.5), correct(rng, 0.52, seeds=1)]
    a, b = compare(scores, seed=5), compare(scores, seed=5)
    np.testing.assert_array_equal(a.ci_low, b.ci_low)
    assert np.all(a.ci_low <= a.mean) and np.all(a.mean <= a.ci_high)
    assert compare(scores, higher_is_better=False).best == int(np.argmin(a.mean))
    with pytest.raises(ValueError, match="same N"):
        compare([np.zeros((2, 5)), np.zeros((2, 6))])


def test_holm_adjusts_in_order_and_keeps_nan():
    got = holm(np.array([0.01, np.nan, 0.04, 0.03]))
    np.testing.assert_allclose(got[[0, 2, 3]], [0.03, 0.06, 0.06])
    assert np.isnan(got[1])


def test_matches_corpus_allows_only_the_stated_rounding_and_ratios():
    per = np.array([30.0, 60.0, 100.0])
    assert matches_corpus(per, 63.33, rounded=0.01)
    assert not matches_corpus(per, 63.33)
    assert not matches_corpus(per, 64.0, rounded=0.01)
    assert not matches_corpus(np.array([]), 1.0)
    errors, words = np.array([1.0, 0.0, 3.0]), np.array([4.0, 2.0, 6.0])
    assert matches_corpus(errors, 4 / 12, denominator=words)
    assert not matches_corpus(errors / words, 4 / 12)  # the mean of per-utterance WERs differs


def test_ratio_metrics_are_resampled_as_ratios_of_sums():
    rng = np.random.default_rng(4)
    words = rng.integers(1, 30, size=(2, 500)).astype(float)
    good, bad = rng.binomial(words.astype(int), 0.1), rng.binomial(words.astype(int), 0.2)
    result = compare([good, bad], higher_is_better=False, denominators=[words, words])
    np.testing.assert_allclose(
        result.mean, [np.mean(good.sum(1) / words.sum(1)), np.mean(bad.sum(1) / words.sum(1))]
    )
    assert result.best == 0 and result.p[1] < 0.01
    assert np.all(result.ci_low <= result.mean) and np.all(result.mean <= result.ci_high)
