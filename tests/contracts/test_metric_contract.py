"""Contract tests run on every registered metric (picked up from ``METRICS.names()``).

Each metric, on a small varied corpus: returns a :class:`MetricResult` whose per-example arrays
align with the inputs, is deterministic, ranks copies of the references above unrelated text in
the direction the leaderboard reads it (``mmbench.metrics.info``), handles an
empty corpus and rejects misaligned inputs with one ``MmbenchError``.
"""

from __future__ import annotations

import numpy as np
import pytest

from mmbench.errors import MmbenchError
from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.info import higher_is_better, metric_scores
from mmbench.metrics.meteor import java_available
from mmbench.registry import METRICS
from mmbench.reporting.significance import matches_corpus, ratio_counts

NAMES = METRICS.names()
REFS = [
    "a red square left of a blue circle",
    "two dogs run across the wet grass",
    "the man is riding a horse on the beach",
    "yes",
    "a plate of food with broccoli and rice",
    "seven",
]
WRONG = ["zebra", "the the", "purple elephants sing", "no", "", "3"]


def _references(name: str, refs: list[str]):
    if name == "vqa_acc":  # ten annotator answers per question
        return [[r] * 10 for r in refs]
    if name in ("wer", "cer"):
        return refs
    return [[r, r + " today"] for r in refs]  # several references per prediction


def score(name: str, preds: list[str], refs: list[str]) -> MetricResult:
    if name == "meteor" and not java_available():
        pytest.skip("meteor needs a Java runtime")
    return METRICS.get(name)(preds, _references(name, refs))


@pytest.mark.parametrize("name", NAMES)
def test_result_is_aligned_finite_and_fingerprinted(name):
    res = score(name, WRONG[:3] + REFS[3:], REFS)
    assert isinstance(res, MetricResult) and isinstance(res.fingerprint, Fingerprint)
    assert res.fingerprint.metric and res.fingerprint.version and res.fingerprint.reference
    assert res.scores and all(np.isfinite(v) for v in res.scores.values())
    assert res.per_example, "per-example scores feed the leaderboard's intervals"
    for values in res.per_example.values():
        assert values.shape == (len(REFS),) and np.issubdtype(values.dtype, np.number)
        assert np.isfinite(values).all()


@pytest.mark.parametrize("name", NAMES)
def test_deterministic(name):
    a, b = score(name, WRONG[:3] + REFS[3:], REFS), score(name, WRONG[:3] + REFS[3:], REFS)
    assert a.scores == b.scores
    assert all(np.array_equal(a.per_example[k], b.per_example[k]) for k in a.per_example)


@pytest.mark.parametrize("name", NAMES)
def test_copies_of_the_references_beat_unrelated_text_in_the_declared_direction(name):
    good, bad = score(name, REFS, REFS), score(name, WRONG, REFS)
    strictly = []
    for key in good.scores:
        g, b = good.scores[key], bad.scores[key]
        assert g >= b if higher_is_better(key) else g <= b, key
        strictly.append(good.scores[key] != bad.scores[key])
    assert any(strictly), "a perfect prediction must score differently from a wrong one"


@pytest.mark.parametrize("name", NAMES)
def test_empty_corpus_and_misaligned_inputs(name):
    if name == "meteor" and not java_available():
        pytest.skip("meteor needs a Java runtime")
    fn = METRICS.get(name)
    try:
        empty = fn([], [])
    except MmbenchError:
        pass  # refusing an empty corpus is allowed; crashing otherwise is not
    else:
        assert all(v.shape == (0,) for v in empty.per_example.values())
    with pytest.raises(MmbenchError):
        fn(REFS[:2], _references(name, REFS[:3]))


@pytest.mark.parametrize("name", NAMES)
def test_every_score_is_declared_and_its_aggregation_holds(name):
    """What a metric declares (mmbench.metrics.info) is what it returns: each headline score has a
    declaration; a "mean" score is the mean of its per-example scores, a "ratio" score the ratio
    of its per-example count sums — the statistics rely on both."""
    res = score(name, WRONG[:3] + REFS[3:], REFS)
    declared = metric_scores(name)
    assert declared, f"{name}: no @declares(...) below its registration"
    for key in res.scores:
        if key.endswith(("_p", "_r")) and key[:-2] in declared:
            continue  # ROUGE precision / recall beside the declared F
        assert key in declared, f"{name} returns '{key}' but does not declare it"
    for key, info in declared.items():
        assert key in res.scores, f"{name} declares '{key}' but does not return it"
        corpus = res.scores[key]
        if info.aggregation == "mean":
            assert matches_corpus(res.per_example[key], corpus, info.rounded), key
        elif info.aggregation == "ratio":
            num, den = (sum(res.per_example[c] for c in cols) for cols in ratio_counts(key))
            assert matches_corpus(num, corpus, 0.0, den), key
