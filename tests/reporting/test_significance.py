"""Which corpus scores follow from the logged per-example scores (the report's precondition)."""

from __future__ import annotations

import numpy as np

from mmbench.reporting.significance import matches_corpus


def test_matches_corpus_allows_only_the_stated_rounding_and_ratios():
    per = np.array([30.0, 60.0, 100.0])
    assert matches_corpus(per, 63.33, rounded=0.01)
    assert not matches_corpus(per, 63.33)
    assert not matches_corpus(per, 64.0, rounded=0.01)
    assert not matches_corpus(np.array([]), 1.0)
    errors, words = np.array([1.0, 0.0, 3.0]), np.array([4.0, 2.0, 6.0])
    assert matches_corpus(errors, 4 / 12, denominator=words)
    assert not matches_corpus(errors / words, 4 / 12)  # the mean of per-utterance WERs differs
