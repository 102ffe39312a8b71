"""Simulation tests with a known truth: false positives, coverage and power of ``compare``.

Each test runs a few hundred seeded simulated studies (``mmbench.stats.simulate``) and checks a
rate against its target within three Monte-Carlo standard errors. The fuller table is
``benchmarks/bench_calibration.py``.
"""

from __future__ import annotations

import math

import pytest

from mmbench.stats.calibration import measure
from mmbench.stats.simulate import Regime

SEED = Regime("seed", seed_sd=0.15)  # seed std of the accuracy ≈ 2.5 points
EXAMPLE = Regime("example", score="soft", config_example_sd=1.5, seed_sd=0.02)
CLUSTERED = Regime("clustered16", n_clusters=16, cluster_sd=1.0, config_cluster_sd=0.4)
RATIO = Regime(
    "ratio", score="ratio", logit_mean=-1.6, example_sd=1.0, n_clusters=40, cluster_sd=0.5,
    config_cluster_sd=0.2, seed_sd=0.08, words=12,
)  # fmt: skip
STUDIES = 300


def at_most(rate: float, target: float, studies: int) -> bool:
    return rate <= target + 3 * math.sqrt(target * (1 - target) / studies)


def at_least(rate: float, target: float, studies: int) -> bool:
    return rate >= target - 3 * math.sqrt(target * (1 - target) / studies)


@pytest.mark.parametrize(
    ("regime", "seeds"),
    [(SEED, 2), (SEED, 5), (EXAMPLE, 3), (CLUSTERED, 3), (RATIO, 3)],
    ids=["seed-2", "seed-5", "example-3", "clustered-3", "ratio-3"],
)
def test_aa_false_positives_and_coverage(regime, seeds):
    c = measure(regime, seeds, STUDIES, seed=seeds)
    assert c.tested == 1.0
    assert at_most(c.rejected, 0.05, STUDIES), c
    assert at_least(c.coverage, 0.95, STUDIES), c
    assert at_least(c.delta_coverage, 0.95, STUDIES), c


def test_clustered_examples_analysed_as_independent_are_miscalibrated():
    """The same clustered studies without ``groups``: too many false positives and too narrow
    intervals — the check above can fail, and the cluster ids are what fixes it."""
    c = measure(CLUSTERED, 10, 150, seed=10, ignore_groups=True)
    assert c.rejected > 0.15 and c.coverage < 0.8, c
    ok = measure(CLUSTERED, 10, 150, seed=10)
    assert at_most(ok.rejected, 0.05, 150) and at_least(ok.coverage, 0.95, 150), ok


def test_five_seeds_find_a_real_difference_most_of_the_time():
    """Seed std 2.5 points, 5 seeds each: a 5-point difference is found in most studies."""
    c = measure(SEED, 5, 200, effect=0.05, seed=1)
    assert c.rejected >= 0.6, c
    assert at_least(c.delta_coverage, 0.95, 200), c


def test_one_seed_claims_no_test_and_its_interval_misses_the_seed_variance():
    c = measure(SEED, 1, 200, seed=3)
    assert c.rejected == 0 and c.tested == 0
    # "test examples only": it does not cover the seed variation, as labelled
    assert c.coverage < 0.9, c


@pytest.mark.parametrize("seeds", [2, 5])
def test_one_seed_with_pooled_seed_variance_is_calibrated(seeds):
    c = measure(SEED, [seeds, 1], STUDIES, seed=4, pool_seed_variance=True)
    assert c.tested == 1.0
    assert at_most(c.rejected, 0.05, STUDIES) and at_least(c.coverage, 0.95, STUDIES), c


def test_best_of_five_identical_configurations_is_rarely_called_significantly_better():
    """reference=None: Holm over all pairs controls the error including the choice of the best."""
    c = measure(SEED, 3, 200, n_configs=5, best=True, seed=5)
    assert at_most(c.rejected, 0.05, 200), c
    assert at_least(c.coverage, 0.95, 200), c
    # the intervals of the differences from the observed best still cover (simultaneous)
    assert at_least(c.delta_coverage, 0.95, 200), c
