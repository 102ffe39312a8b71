"""Every bad input to the statistics is one clear error (a ValueError and an MmbenchError)."""

from __future__ import annotations

import numpy as np
import pytest

from mmbench.errors import MmbenchError
from mmbench.stats import StatsInputError, compare, compare_groups, probability_of_improvement

OK = {"gated": np.zeros((2, 4)), "concat": np.ones((2, 4))}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scores": {}}, "no configurations"),
        ({"scores": [np.zeros((2, 4))]}, "must be a mapping"),
        ({"scores": {"a": np.zeros(4)}}, "expected a 2-D array"),
        ({"scores": {"a": np.zeros((0, 4))}}, "empty array"),
        ({"scores": {"a": np.zeros((2, 4)), "b": np.zeros((2, 5))}}, "5 examples, but"),
        ({"scores": {"a": [[0.0, np.nan], [1.0, 1.0]]}}, "seed row 0, example column 1"),
        ({"scores": {"a": [["x", "y"]]}}, "not an array of numbers"),
        ({"scores": OK, "reference": "gatd"}, "did you mean 'gated'?"),
        ({"scores": OK, "groups": [1, 2, 3]}, "one id per test example"),
        ({"scores": OK, "groups": [1, None, 2, 2]}, "missing id"),
        ({"scores": OK, "denominators": {"gated": np.ones((2, 4))}}, "no entry for"),
        ({"scores": OK, "denominators": {**{k: np.ones(4) for k in OK}, "gatd": 1}}, "'gatd'"),
        ({"scores": OK, "denominators": {k: np.zeros(4) for k in OK}}, "positive sum"),
        ({"scores": OK, "denominators": {k: np.ones((3, 4)) for k in OK}}, "shape (3, 4)"),
        ({"scores": OK, "alpha": 1.5}, "alpha must be in (0, 1)"),
    ],
)
def test_compare_rejects(kwargs, message):
    with pytest.raises(StatsInputError) as info:
        compare(**kwargs)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, MmbenchError)


def test_compare_groups_rejects_unknown_baseline_and_bad_labels():
    with pytest.raises(StatsInputError, match="did you mean 'concat'"):
        compare_groups(OK, ["x"] * 4, "concat_")
    with pytest.raises(StatsInputError, match="one label per test example"):
        compare_groups(OK, ["x"] * 3, "concat")
    with pytest.raises(StatsInputError, match="missing label at column 2"):
        compare_groups(OK, ["x", "y", None, "x"], "concat")


def test_probability_of_improvement_rejects_bad_scores():
    with pytest.raises(StatsInputError, match="finite"):
        probability_of_improvement([0.1, np.nan], [0.2])
    with pytest.raises(StatsInputError, match="need \\(n_seeds, n_examples\\)"):
        probability_of_improvement([0.1, 0.2], [0.2], denominators_a=[1, 2])
