"""coco-caption ROUGE-L against pycocoevalcap 1.2's ``Rouge`` (β = 1.2, best reference)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from pycocoevalcap.rouge.rouge import Rouge

from mmbench.metrics import coco_rouge_l
from mmbench.registry import METRICS
from tests.metrics.caption_corpora import everyday, tokenised

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime")


@pytest.mark.parametrize("seed, n", [(0, 300), (1, 20)])
def test_matches_pycocoevalcap_on_tokenised_captions(seed, n):
    preds, refs = tokenised(*everyday(n, seed))
    preds += ["", "a  b", " a"]  # empty and space-split tokens: "" is a token here
    refs += [[""], ["a b", ""], ["a"]]
    score, per_image = Rouge().compute_score(
        {i: list(rs) for i, rs in enumerate(refs)}, {i: [p] for i, p in enumerate(preds)}
    )
    result = coco_rouge_l(preds, refs, tokenizer="none")
    assert result["rougeL_coco"] == pytest.approx(score, abs=1e-9)
    np.testing.assert_allclose(result.per_example["rougeL_coco"], per_image, rtol=0, atol=1e-9)
    assert METRICS.get("coco_rouge_l") is coco_rouge_l


@needs_java
@pytest.mark.java
def test_end_to_end_matches_java_pipeline():
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    preds, refs = everyday(200, 10)
    gts = PTBTokenizer().tokenize({i: [{"caption": r} for r in rs] for i, rs in enumerate(refs)})
    res = PTBTokenizer().tokenize({i: [{"caption": p}] for i, p in enumerate(preds)})
    score, per_image = Rouge().compute_score(gts, res)
    result = coco_rouge_l(preds, refs)
    assert result["rougeL_coco"] == pytest.approx(score, abs=1e-9)
    np.testing.assert_allclose(result.per_example["rougeL_coco"], per_image, rtol=0, atol=1e-9)
