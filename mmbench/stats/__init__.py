"""Calibrated comparisons of trained configurations across seeds and test examples.

``compare(scores)`` takes per-example scores, configuration → ``(n_seeds, n_examples)``, and
returns each configuration's mean with a 95 % interval of its expected score over seeds *and*
the test population, and Holm-corrected tests against a named baseline or the observed best.
``compare_groups`` does the same per question family / answer type / noise level, correcting
over all the comparisons made; ``probability_of_improvement`` and ``seeds_needed`` go beyond
p-values. The calibration (false-positive rate, coverage, power) is measured by simulation in
``tests/stats`` and ``benchmarks/bench_calibration.py``.
"""

from mmbench.stats.compare import COLUMNS, compare
from mmbench.stats.groups import GROUP_COLUMNS, compare_groups
from mmbench.stats.improvement import Improvement, probability_of_improvement
from mmbench.stats.inputs import StatsInputError
from mmbench.stats.multiple import holm
from mmbench.stats.power import power_of, seeds_needed

__all__ = [
    "COLUMNS",
    "GROUP_COLUMNS",
    "Improvement",
    "StatsInputError",
    "compare",
    "compare_groups",
    "holm",
    "power_of",
    "probability_of_improvement",
    "seeds_needed",
]
