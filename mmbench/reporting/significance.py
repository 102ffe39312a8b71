"""Which corpus scores follow from per-example scores, and the check that a run's do.

The report's statistics (:mod:`mmbench.stats`) need a configuration's corpus score to be
computable from per-example numbers: a mean of per-example scores (:data:`MEAN_METRICS`: VQA
accuracy, CIDEr-D, ROUGE), or a ratio of per-example sums (:data:`RATIO_METRICS`: corpus WER =
Σ errors / Σ reference words, CER alike). :func:`matches_corpus` checks this run by run. Corpus
BLEU and METEOR are neither, and the report leaves them out of the tests.
"""

from __future__ import annotations

import numpy as np

# corpus score = mean of the per-example scores (ROUGE-L of coco-caption too: its `rougeL`)
MEAN_METRICS = frozenset({"vqa_acc", "cider", "rouge1", "rouge2", "rougeL", "rougeLsum"})
# metric → (per-example count columns summed in the numerator, … in the denominator)
RATIO_METRICS = {
    "wer": (
        ("word_substitutions", "word_deletions", "word_insertions"),
        ("word_hits", "word_substitutions", "word_deletions"),
    ),
    "cer": (
        ("char_substitutions", "char_deletions", "char_insertions"),
        ("char_hits", "char_substitutions", "char_deletions"),
    ),
}


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
