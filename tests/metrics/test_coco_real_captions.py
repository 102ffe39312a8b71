"""Real captions (the coco-caption demo's 1,000 results) through the Python and Java pipelines.

Skipped where ../shared/data/coco_caption_example or Java is absent. The demo's reference
captions are not in the shared copy, so the captions are scored against each other: the first
500 as predictions, the other 500 as their references.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from mmbench.data.shared_data import shared_data_dir
from mmbench.metrics import bleu, cider_d
from mmbench.metrics._ptb.tokenizer import ptb_tokenize

RESULTS = shared_data_dir() / "coco_caption_example" / "captions_val2014_fakecap_results.json"

pytestmark = [
    pytest.mark.skipif(not RESULTS.is_file(), reason=f"{RESULTS} is absent"),
    pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime"),
    pytest.mark.java,
]


def captions() -> list[str]:
    entries = json.loads(RESULTS.read_text(encoding="utf-8"))
    assert len(entries) == 1000
    return [e["caption"] for e in entries]


def test_python_tokenizer_equals_java_on_real_captions():
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    caps = captions()
    java = PTBTokenizer().tokenize({i: [{"caption": c}] for i, c in enumerate(caps)})
    assert ptb_tokenize(caps) == [java[i][0] for i in range(len(caps))]


def test_cider_and_bleu_equal_the_java_pipeline_on_real_captions():
    import contextlib
    import io

    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    caps = captions()
    preds, refs = caps[:500], [[c] for c in caps[500:]]
    tok = PTBTokenizer()
    gts = tok.tokenize({i: [{"caption": r[0]}] for i, r in enumerate(refs)})
    res = tok.tokenize({i: [{"caption": p}] for i, p in enumerate(preds)})
    score, per_image = Cider().compute_score(gts, res)
    ours = cider_d(preds, refs)
    assert ours["cider"] == pytest.approx(score, abs=1e-12)
    np.testing.assert_allclose(ours.per_example["cider"], per_image, rtol=0, atol=1e-12)
    with contextlib.redirect_stdout(io.StringIO()):
        bleu_scores, _ = Bleu(4).compute_score(gts, res)
    got = bleu(preds, refs)
    assert [got[f"bleu{k}"] for k in range(1, 5)] == pytest.approx(bleu_scores, abs=1e-12)
    assert score > 0  # the captions share words: the comparison is not between zeros
