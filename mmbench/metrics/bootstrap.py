"""Seeded percentile bootstrap over test examples.

``stat_fn`` receives an index array (length N, drawn with replacement) and returns the
corpus-level scores computed on that resample. Corpus-level metrics must recompute their
corpus statistics on each resample (WER sums errors and reference lengths; CIDEr-D recomputes
document frequencies, with a duplicated image counted as often as it was drawn).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def bootstrap_ci(
    stat_fn: Callable[[np.ndarray], dict[str, float]],
    n: int,
    *,
    n_resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Percentile intervals ``{key: (low, high)}`` at ``level`` from ``n_resamples`` resamples."""
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(n_resamples):
        idx = rng.integers(0, n, size=n)
        for key, value in stat_fn(idx).items():
            draws.setdefault(key, []).append(float(value))
    alpha = (1.0 - level) / 2.0
    return {
        key: (float(np.quantile(v, alpha)), float(np.quantile(v, 1.0 - alpha)))
        for key, v in draws.items()
    }


def mean_stat(per_example: dict[str, np.ndarray]) -> Callable[[np.ndarray], dict[str, float]]:
    """``stat_fn`` for metrics whose corpus score is the mean of per-example scores."""
    arrays = {k: np.asarray(v, dtype=float) for k, v in per_example.items()}
    return lambda idx: {k: float(a[idx].mean()) for k, a in arrays.items()}
