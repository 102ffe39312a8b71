"""METEOR 1.5 through pycocoevalcap's Java implementation (optional: needs ``java``).

There is no pure-Python METEOR here: its paraphrase tables and matcher are the definition, so
mmbench runs the original jar exactly as COCOEvalCap does (PTB-tokenised inputs, one
``Meteor().compute_score`` call). Without Java on PATH a clear ``MmbenchError`` says so.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

import numpy as np

from mmbench.errors import MmbenchError
from mmbench.metrics._impl.coco_inputs import prepare
from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.info import ScoreInfo, declares
from mmbench.registry import METRICS

VERSION = "pycocoevalcap-meteor-1.5"


def java_available() -> bool:
    return shutil.which("java") is not None


@METRICS.register("meteor")
@declares(ScoreInfo("meteor", aggregation="corpus"))
def meteor(
    predictions: Sequence[str],
    references: Sequence[str] | Sequence[Sequence[str]],
    *,
    tokenizer: str = "python",
) -> MetricResult:
    """METEOR of N captions as pycocoevalcap 1.2 computes it (Java); key ``meteor``.

    Args:
        predictions: N candidate captions (raw text).
        references: N references, each a string or a list of strings.
        tokenizer: ``"python"`` (our PTB port), ``"java"`` or ``"none"`` (already tokenised).
    """
    if not java_available():
        raise MmbenchError(
            "meteor: needs a Java runtime on PATH (pycocoevalcap runs METEOR 1.5 as a jar); "
            "install Java 8+ (e.g. apt-get install default-jre-headless) or drop 'meteor'"
        )
    from pycocoevalcap.meteor.meteor import Meteor

    inputs = prepare("meteor", predictions, references, tokenizer, strings=True)
    sents = inputs.strings or []
    n = inputs.n_images
    cands, refs = sents[:n], sents[n:]
    gts, res = {}, {}
    for i, start in enumerate(inputs.ref_start.tolist()):
        gts[i] = refs[start : start + int(inputs.n_refs[i])]
        res[i] = [cands[i]]
    corpus, per_image = Meteor().compute_score(gts, res) if n else (0.0, [])
    return MetricResult(
        scores={"meteor": float(corpus)},
        per_example={"meteor": np.asarray(per_image, dtype=float)},
        fingerprint=Fingerprint(
            "meteor", VERSION, "pycocoevalcap==1.2", tokenizer=inputs.tokenizer
        ),
    )
