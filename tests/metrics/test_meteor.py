"""METEOR runs pycocoevalcap's jar on the same inputs COCOEvalCap would give it."""

from __future__ import annotations

import pytest

from mmbench.errors import MmbenchError
from mmbench.metrics._ptb.tokenizer import java_ptb_tokenize
from mmbench.metrics.meteor import java_available, meteor

PREDS = ["A cat is sitting on a mat.", "the dog runs!", ""]
REFS = [["a cat sits on the mat", "A cat on a mat."], ["A dog is running."], ["nothing here"]]


@pytest.mark.java
@pytest.mark.slow
@pytest.mark.skipif(not java_available(), reason="needs java")
def test_agrees_with_pycocoevalcap_meteor():
    from pycocoevalcap.meteor.meteor import Meteor

    flat_refs = [r for refs in REFS for r in refs]
    tok_refs = java_ptb_tokenize(flat_refs)
    tok_preds = java_ptb_tokenize(PREDS)
    gts, res, k = {}, {}, 0
    for i, refs in enumerate(REFS):
        gts[i] = tok_refs[k : k + len(refs)]
        k += len(refs)
        res[i] = [tok_preds[i]]
    corpus, per = Meteor().compute_score(gts, res)
    ours = meteor(PREDS, REFS)
    assert ours["meteor"] == pytest.approx(corpus, abs=1e-12)
    assert ours.per_example["meteor"].tolist() == pytest.approx(per, abs=1e-12)
    assert 0 < ours["meteor"] < 1


def test_clear_error_without_java(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(MmbenchError, match="needs a Java runtime on PATH"):
        meteor(PREDS, REFS)
