"""Which corpus scores follow from per-example scores, and the check that a run's do.

The report's statistics (:mod:`mmbench.stats`) need a configuration's corpus score to be
computable from per-example numbers: a mean of per-example scores (VQA accuracy, CIDEr-D,
ROUGE), or a ratio of per-example sums (corpus WER = Σ errors / Σ reference words, CER alike).
Each metric declares which (:mod:`mmbench.metrics.info`); :func:`testable` and
:func:`ratio_counts` read that, :func:`matches_corpus` checks it run by run. Corpus BLEU and
METEOR are neither, and the report leaves them out of the tests.
"""

from __future__ import annotations

import numpy as np

from mmbench.metrics.info import score_info


def ratio_counts(key: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """For a ratio score (corpus WER, CER): the per-example count columns summed in the
    numerator and in the denominator, as the metric declares them; None otherwise."""
    info = score_info(key)
    if info is None or info.aggregation != "ratio":
        return None
    return info.numerator, info.denominator


def testable(key: str) -> bool:
    """Whether the corpus score ``key`` follows from per-example numbers (a mean or a ratio)."""
    info = score_info(key)
    return info is not None and info.aggregation in ("mean", "ratio")


def rounding(key: str) -> float:
    """The step the metric rounds its official scores to (VQA accuracy: 0.01)."""
    info = score_info(key)
    return 0.0 if info is None else info.rounded


def matches_corpus(
    per_example: np.ndarray,
    corpus: float,
    rounded: float = 0.0,
    denominator: np.ndarray | None = None,
) -> bool:
    """Whether a corpus score is the mean of the per-example scores (or, with a
    ``denominator``, the ratio of their sums), up to rounding.

    ``rounded``: the step both were rounded to (VQA: 0.01, so they may differ by 0.01).
    """
    if not len(per_example) or not np.isfinite(corpus):
        return False
    if denominator is None:
        value = float(np.mean(per_example))
    elif float(np.sum(denominator)) > 0:
        value = float(np.sum(per_example)) / float(np.sum(denominator))
    else:
        return False
    tolerance = 1e-9 * max(1.0, abs(corpus)) + 1.01 * rounded
    return abs(value - corpus) <= tolerance
