"""ROUGE-L of coco-caption, exactly as pycocoevalcap 1.2 ``Rouge`` (β = 1.2).

Not rouge-score's ROUGE-L (:mod:`mmbench.metrics.rouge`, key ``rougeL``): this one reads the
PTB-tokenised strings split on *single spaces* (so an empty caption is one empty token), takes
``P = max_j LCS(c, r_j)/|c|`` and ``R = max_j LCS(c, r_j)/|r_j|`` separately over the references,
and scores ``(1 + β²)·P·R / (R + β²·P)`` (0 if P or R is 0); the corpus score is the mean over
images. Key ``rougeL_coco``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mmbench.metrics._impl.coco_inputs import prepare
from mmbench.metrics._impl.lcs import lcs_length, match_masks
from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.info import ScoreInfo, declares
from mmbench.registry import METRICS

VERSION = "mmbench-coco-rouge-l/1"
REFERENCE = "pycocoevalcap==1.2"
BETA = 1.2


def rouge_l_image(candidate: str, references: Sequence[str]) -> float:
    """pycocoevalcap's ``Rouge.calc_score`` for one tokenised candidate and its references."""
    cand = candidate.split(" ")
    masks = match_masks(cand)
    prec, rec = [], []
    for ref in references:
        tokens = ref.split(" ")
        lcs = lcs_length(tokens, masks)
        prec.append(lcs / float(len(cand)))
        rec.append(lcs / float(len(tokens)))
    p, r = max(prec), max(rec)
    if p != 0 and r != 0:
        return ((1 + BETA**2) * p * r) / float(r + BETA**2 * p)
    return 0.0


@METRICS.register("coco_rouge_l")
@declares(ScoreInfo("rougeL_coco"))
def coco_rouge_l(
    predictions: Sequence[str],
    references: Sequence[str] | Sequence[Sequence[str]],
    *,
    tokenizer: str = "python",
) -> MetricResult:
    """coco-caption ROUGE-L (β = 1.2, best reference) of N predictions, as pycocoevalcap.

    Args:
        predictions: N candidate captions (raw text).
        references: N references, each a string or a list of strings (raw text).
        tokenizer: ``"python"``, ``"java"`` or ``"none"`` (see :func:`~mmbench.metrics.cider_d`).

    Returns:
        ``scores["rougeL_coco"]`` (mean over images) and ``per_example["rougeL_coco"]`` ``(N,)``.
    """
    inputs = prepare("coco_rouge_l", predictions, references, tokenizer, strings=True)
    sents = inputs.strings or []
    n = inputs.n_images
    starts = [int(s) for s in inputs.ref_start] + [len(sents) - n]
    per_image = np.array(
        [rouge_l_image(sents[i], sents[n + starts[i] : n + starts[i + 1]]) for i in range(n)]
    )
    return MetricResult(
        scores={"rougeL_coco": float(np.mean(per_image))},
        per_example={"rougeL_coco": per_image},
        fingerprint=Fingerprint("coco_rouge_l", VERSION, REFERENCE, tokenizer=inputs.tokenizer),
    )
