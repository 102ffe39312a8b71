"""How the leaderboard writes its statistics: interval and p cells, marks, the explanation.

Against the best configuration (the default), ``†`` marks configurations not significantly
different from it. Against a named reference (``mmbench report --against LABEL``), ``▲`` / ``▼``
mark configurations significantly better / worse than the reference.
"""

from __future__ import annotations

import math

from mmbench.reporting.markdown import md_code
from mmbench.reporting.seed_stats import SeedStats

ALPHA_TEXT = "α = 0.05"


def mark(stat: dict | None, stats: SeedStats, higher_is_better: bool) -> str:
    """The mark after a configuration's headline score ("" for none)."""
    if stat is None or math.isnan(stat["p"]):
        return ""
    if stats.against is None:
        return "" if stat["different"] else " †"
    if not stat["different"]:
        return ""
    return " ▲" if stat["above"] == higher_is_better else " ▼"


def stat_cells(stat: dict | None, stats: SeedStats, digits: int) -> list[str]:
    """``[interval, p]`` cells of a configuration (dashes where it was not compared)."""
    if stat is None:
        return ["–", "–"]
    p = stat["p"]
    if math.isnan(p):
        p_text = "best" if stats.against is None else "reference"
    else:
        p_text = "< 0.001" if p < 0.001 else f"{p:.3f}"
    return [f"[{stat['ci_low']:.{digits}f}, {stat['ci_high']:.{digits}f}]", p_text]


def stats_text(stats: SeedStats | None) -> list[str]:
    """The paragraphs that say how the intervals and tests were made (Markdown lines)."""
    if stats is None:
        return []
    if stats.comparison is None:
        return [f"No intervals or tests for {stats.metric}: {stats.note}.", ""]
    c = stats.comparison
    if stats.against is None:
        versus = "the best configuration"
        marks = f"† not significantly different from the best at {ALPHA_TEXT}"
    else:
        versus = f"the reference configuration {md_code(stats.against)}"
        marks = f"▲ / ▼ significantly better / worse than the reference at {ALPHA_TEXT}"
    lines = [
        f"95% CI: percentile bootstrap of {stats.metric} over seeds and test examples "
        f"({c.n_resamples:,} replicates; examples drawn alike for every configuration, "
        f"{c.n_examples:,} shared test examples; seeds drawn per configuration). "
        f"p vs {stats.reference_word}: two-sided bootstrap test of the difference from {versus}, "
        f"Holm-corrected over the comparisons (the smallest p {c.n_resamples:,} replicates can "
        f"give is {2 / (c.n_resamples + 1):.4f} before the correction); {marks}. With few seeds "
        "the seed part of an interval is coarse.",
        "",
    ]
    if min(stats.seeds) == 1:
        lines += [
            "Rows from a single seed: their intervals and tests cover the test examples only, "
            "not the randomness of training.",
            "",
        ]
    if stats.note:
        lines += [f"Note: {stats.note}.", ""]
    return lines
