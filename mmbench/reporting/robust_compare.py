"""The one place robustness reports call the project's comparison of configurations.

``compare_configs`` has the signature of ``mmbench.stats.compare`` (configuration → ``(n_seeds,
n_examples)`` per-example scores → a DataFrame indexed by configuration with ``mean``,
``ci_low``, ``ci_high``, ``delta``, ``p`` (Holm-corrected), ``significant``); until that module
is on the main line it wraps :func:`mmbench.reporting.significance.compare` (a paired
hierarchical bootstrap over seeds and test examples), so switching is a one-line change here.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mmbench.reporting.significance import ALPHA, compare


def compare_configs(
    scores: Mapping[str, np.ndarray],
    reference: str | None = None,
    higher_is_better: bool = True,
    denominators: Mapping[str, np.ndarray] | None = None,
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """Each configuration's mean with its interval and its test against ``reference``."""
    labels = list(scores)
    res = compare(
        [np.asarray(scores[k], np.float64) for k in labels],
        higher_is_better=higher_is_better,
        reference=None if reference is None else labels.index(reference),
        denominators=None if denominators is None else [denominators[k] for k in labels],
    )
    ref = res.mean[res.reference]
    return pd.DataFrame(
        {
            "mean": res.mean,
            "ci_low": res.ci_low,
            "ci_high": res.ci_high,
            "delta": res.mean - ref,
            "p": res.p,
            "significant": res.different(alpha),
        },
        index=pd.Index(labels, name="configuration"),
    )
