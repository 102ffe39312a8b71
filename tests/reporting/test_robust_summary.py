"""Summary numbers of robustness curves (MultiBench definitions, normalised as documented)."""

from __future__ import annotations

import math

import pytest

from mmbench.reporting.robust_summary import (
    area,
    effective_robustness,
    multimodal_gain,
    relative_robustness,
    severity_order,
)


def test_relative_robustness_is_one_when_flat_and_a_half_for_a_linear_fall_to_zero():
    assert relative_robustness([60, 60, 60]) == 1.0
    assert relative_robustness([80, 40, 0]) == pytest.approx(0.5)
    assert relative_robustness([80, 60, 20]) == pytest.approx((0.875 + 0.5) / 2)
    # error rates: the ratio is inverted, so more errors under corruption read as below 1
    assert relative_robustness([0.2, 0.4], higher_is_better=False) == pytest.approx(0.75)
    assert math.isnan(relative_robustness([0.0, 0.0, 1.0]))


def test_effective_robustness_matches_clean_scores_before_comparing_drops():
    base = [70, 60, 50]
    assert effective_robustness([50, 40, 30], base) == 0.0  # same drops, lower clean
    assert effective_robustness([70, 70, 70], base) == pytest.approx(15.0)
    assert effective_robustness([0.1, 0.3], [0.2, 0.3], higher_is_better=False) == pytest.approx(
        -0.1
    )
    assert math.isnan(effective_robustness([1, 2], [1, 2, 3]))


def test_multimodal_gain_is_against_the_best_unimodal_area():
    assert multimodal_gain([80, 60], [[50, 50], [70, 30]]) == pytest.approx(70 - 50)
    assert multimodal_gain([0.2, 0.4], [[0.3, 0.3]], higher_is_better=False) == pytest.approx(0.0)
    assert math.isnan(multimodal_gain([1, 2], []))
    assert area([3.0]) == 3.0


def test_severity_order_puts_the_clean_level_first():
    assert severity_order([0.4, 0, 0.1], 0.0) == [0, 0.1, 0.4]
    assert severity_order([-10, math.inf, 20, 0], math.inf) == [math.inf, 20, 0, -10]
