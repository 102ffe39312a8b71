"""CIDEr-D against pycocoevalcap 1.2's ``Cider`` (pure Python: no Java needed for scoring).

Scoring is compared on pre-tokenised captions (``tokenizer="none"``), which isolates it from
the tokenizer; the Java tests compare the whole pipeline with PTBTokenizer(Java) + Cider.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from pycocoevalcap.cider.cider import Cider

from mmbench.errors import MmbenchError
from mmbench.metrics import cider_d
from mmbench.metrics._impl.coco_inputs import prepare
from mmbench.metrics._ptb import tokenizer as ptb_tokenizer
from mmbench.metrics._ptb.tokenizer import ptb_tokenize
from mmbench.metrics.cider import CiderD
from mmbench.registry import METRICS
from tests.metrics.caption_corpora import everyday, tokenised

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime")


def reference(preds, refs):
    gts = {i: list(rs) for i, rs in enumerate(refs)}
    res = {i: [p] for i, p in enumerate(preds)}
    return Cider().compute_score(gts, res)


@pytest.mark.parametrize("seed, n", [(0, 300), (1, 40), (2, 3)])
def test_matches_pycocoevalcap_on_tokenised_captions(seed, n):
    preds, refs = tokenised(*everyday(n, seed))
    score, per_image = reference(preds, refs)
    result = cider_d(preds, refs, tokenizer="none")
    assert result["cider"] == pytest.approx(score, abs=1e-9)
    np.testing.assert_allclose(result.per_example["cider"], per_image, rtol=0, atol=1e-9)
    assert result.per_example["cider"].shape == (len(preds),)


def test_slow_tokenizer_path_keeps_word_ids_comparable():
    # A URL ending in a no-break space sends one tokenizer call down its slow path; the word
    # ids of predictions and references must still agree.
    preds, refs = everyday(30, 6)
    preds[0] = "a dog on http://x.com\u00a0"
    ptb_tokenizer.clear_cache()
    ptb_tokenizer.ptb_word_ids(["zebra xylophone quartz"])  # the shared ids now start elsewhere
    expected = cider_d(ptb_tokenize(preds), [ptb_tokenize(r) for r in refs], tokenizer="none")
    np.testing.assert_allclose(
        cider_d(preds, refs).per_example["cider"], expected.per_example["cider"]
    )


def test_single_image_and_string_references():
    # N = 1: ln N = 0, so every weight is 0 and so is the score (as in pycocoevalcap).
    assert (
        cider_d(["a dog"], ["a dog"], tokenizer="none")["cider"]
        == reference(["a dog"], [["a dog"]])[0]
    )
    two = cider_d(["a dog", "a cat"], ["a dog", ["a cat", "the cat"]], tokenizer="none")
    assert two["cider"] == pytest.approx(
        reference(["a dog", "a cat"], [["a dog"], ["a cat", "the cat"]])[0]
    )


def test_resample_recomputes_document_frequencies():
    # A resample is scored as pycocoevalcap scores the corpus with the drawn images duplicated.
    preds, refs = tokenised(*everyday(60, 4))
    model = CiderD(prepare("cider", preds, refs, "none"))
    rng = np.random.default_rng(0)
    for _ in range(3):
        idx = rng.integers(0, len(preds), size=len(preds))
        score, _ = reference([preds[i] for i in idx], [refs[i] for i in idx])
        assert model.corpus(idx) == pytest.approx(score, abs=1e-9)


def test_bootstrap_interval_is_seeded():
    preds, refs = everyday(80, 5)
    a = cider_d(preds, refs, ci=True, n_resamples=200, seed=3)
    b = cider_d(preds, refs, ci=True, n_resamples=200, seed=3)
    c = cider_d(preds, refs, ci=True, n_resamples=200, seed=4)
    assert a.ci == b.ci and a.ci != c.ci
    low, high = a.ci["cider"]
    assert low < high and low <= a["cider"] * 1.5 and high >= a["cider"] * 0.5
    assert cider_d(preds, refs).ci == {}


def test_registry_fingerprint_and_errors():
    assert METRICS.get("cider") is cider_d
    fp = cider_d(["a"], [["a"]]).fingerprint
    assert (fp.metric, fp.version, fp.reference, fp.tokenizer) == (
        "cider",
        "mmbench-cider/1",
        "pycocoevalcap==1.2",
        "ptb-python/1",
    )
    with pytest.raises(MmbenchError, match="2 predictions but 1"):
        cider_d(["a", "b"], [["a"]])
    with pytest.raises(MmbenchError, match="without references"):
        cider_d(["a"], [[]])
    with pytest.raises(MmbenchError, match="unknown tokenizer"):
        cider_d(["a"], [["a"]], tokenizer="spacy")
    with pytest.raises(MmbenchError, match="no predictions"):
        cider_d([], [])


@needs_java
@pytest.mark.java
def test_end_to_end_matches_java_pipeline():
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    preds, refs = everyday(250, 8)
    preds[3] = 'He said "hi" (twice)... to the U.S. team; it\'s 3.5% of $5!'
    gts = PTBTokenizer().tokenize({i: [{"caption": r} for r in rs] for i, rs in enumerate(refs)})
    res = PTBTokenizer().tokenize({i: [{"caption": p}] for i, p in enumerate(preds)})
    score, per_image = Cider().compute_score(gts, res)
    ours = cider_d(preds, refs)
    assert ours["cider"] == pytest.approx(score, abs=1e-9)
    np.testing.assert_allclose(ours.per_example["cider"], per_image, rtol=0, atol=1e-9)
    java = cider_d(preds, refs, tokenizer="java")
    assert java.fingerprint.tokenizer == "ptb-java"
    np.testing.assert_allclose(java.per_example["cider"], per_image, rtol=0, atol=1e-9)


def test_input_type_errors_name_the_examples():
    with pytest.raises(MmbenchError, match=r"predictions that are not strings \(first: \[0\]\)"):
        cider_d([1, "a"], [["a"], ["b"]])
    with pytest.raises(MmbenchError, match=r"non-string references \(first: \[1\]\)"):
        cider_d(["a", "b"], [["a"], ["b", None]])

    class Caption(str):
        pass

    same = cider_d([Caption("a dog"), "a cat"], [[Caption("a dog")], ["a cat"]], tokenizer="none")
    assert (
        same["cider"] == cider_d(["a dog", "a cat"], ["a dog", "a cat"], tokenizer="none")["cider"]
    )
