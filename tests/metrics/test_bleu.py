"""BLEU-1..4 against pycocoevalcap 1.2's ``Bleu(4)`` (pure Python; Java only for the pipeline)."""

from __future__ import annotations

import contextlib
import io
import shutil

import numpy as np
import pytest
from pycocoevalcap.bleu.bleu import Bleu

from mmbench.metrics import bleu
from mmbench.registry import METRICS
from tests.metrics.caption_corpora import everyday, tokenised

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime")
KEYS = ["bleu1", "bleu2", "bleu3", "bleu4"]


def reference(gts: dict, res: dict) -> tuple[list[float], list[list[float]]]:
    with contextlib.redirect_stdout(io.StringIO()):  # Bleu prints its counts
        return Bleu(4).compute_score(gts, res)


def assert_matches(result, score, per_image):
    for k, key in enumerate(KEYS):
        assert result[key] == pytest.approx(score[k], abs=1e-9), key
        np.testing.assert_allclose(result.per_example[key], per_image[k], rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed, n", [(0, 300), (1, 30), (2, 1)])
def test_matches_pycocoevalcap_on_tokenised_captions(seed, n):
    preds, refs = tokenised(*everyday(n, seed))
    # Ties for the closest reference length, and clipping of a repeated word:
    preds += ["a b c d", "the the the the the"]
    refs += [["a b c", "a b c d e"], ["the cat", "the the mat"]]
    score, per_image = reference(
        {i: list(rs) for i, rs in enumerate(refs)}, {i: [p] for i, p in enumerate(preds)}
    )
    assert_matches(bleu(preds, refs, tokenizer="none"), score, per_image)


def test_registry_and_fingerprint():
    assert METRICS.get("bleu") is bleu
    result = bleu(["a dog"], ["a dog"])
    assert result.fingerprint.version == "mmbench-bleu/1"
    assert result.fingerprint.reference == "pycocoevalcap==1.2"
    assert set(result.scores) == set(KEYS) == set(result.per_example)


@needs_java
@pytest.mark.java
def test_end_to_end_matches_java_pipeline():
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    preds, refs = everyday(250, 9)
    gts = PTBTokenizer().tokenize({i: [{"caption": r} for r in rs] for i, rs in enumerate(refs)})
    res = PTBTokenizer().tokenize({i: [{"caption": p}] for i, p in enumerate(preds)})
    score, per_image = reference(gts, res)
    assert_matches(bleu(preds, refs), score, per_image)
    assert_matches(bleu(preds, refs, tokenizer="java"), score, per_image)
