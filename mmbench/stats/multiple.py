"""Multiple comparisons: Holm's step-down correction of the family-wise error.

Holm (1979, "A simple sequentially rejective multiple test procedure", Scand. J. Statist. 6)
controls the probability of *any* false rejection in the family at ``alpha`` under arbitrary
dependence between the tests, and is uniformly more powerful than Bonferroni.
"""

from __future__ import annotations

import numpy as np


def holm(p: np.ndarray) -> np.ndarray:
    """Holm-adjusted p-values of ``(m,)`` raw p-values; NaN entries (tests not made) are left
    out of the family and stay NaN. Reject where the adjusted value is ``< alpha``."""
    p = np.asarray(p, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    idx = np.flatnonzero(~np.isnan(p))
    order = idx[np.argsort(p[idx], kind="stable")]
    m, running = len(order), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out
