"""The one place robustness reports call the project's comparison of configurations.

``compare_configs`` passes configuration → ``(n_seeds, n_examples)`` per-example scores to
:func:`mmbench.stats.compare` (seed-level inference with a test-population component, examples
paired across configurations, Holm over the comparisons with the named reference) and keeps the
columns the robustness report reads: ``mean``, ``ci_low``, ``ci_high``, ``delta``, ``p``,
``significant``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mmbench.stats import compare

ALPHA = 0.05


def compare_configs(
    scores: Mapping[str, np.ndarray],
    reference: str | None = None,
    higher_is_better: bool = True,
    denominators: Mapping[str, np.ndarray] | None = None,
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """Each configuration's mean with its interval and its test against ``reference``."""
    res = compare(
        {k: np.asarray(v, np.float64) for k, v in scores.items()},
        reference=reference,
        higher_is_better=higher_is_better,
        alpha=alpha,
        denominators=denominators,
    )
    return res[["mean", "ci_low", "ci_high", "delta", "p", "significant"]]
