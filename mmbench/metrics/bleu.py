"""BLEU-1..4 exactly as pycocoevalcap 1.2 ``Bleu(4)`` (its ``BleuScorer``, option "closest").

For image i with candidate c (``split()`` words) and references r_1..r_m:

* ``correct_k`` = Σ over the candidate's k-grams of ``min(count in c, max count in one r_j)``;
  ``guess_k = max(0, len(c) − k + 1)``;
* ``reflen`` = the reference length closest to ``len(c)`` (the shorter one on ties).

Per image (pycocoevalcap's second return value): ``b = Π_{k'≤k} (correct_k' + 1e-15) /
(guess_k' + 1e-9)``, ``bleu_k = b^(1/k)``, times ``exp(1 − 1/ratio)`` when ``ratio = (len(c) +
1e-15) / (reflen + 1e-9) < 1``. Corpus (its first value): the same formula on the sums of
``correct``, ``guess``, ``len(c)`` and ``reflen`` over all images.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from mmbench.metrics._impl.coco_inputs import CocoInputs, prepare
from mmbench.metrics._impl.coco_ngrams import count_ngrams, order_rows
from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.info import ScoreInfo, declares
from mmbench.registry import METRICS

VERSION = "mmbench-bleu/1"
REFERENCE = "pycocoevalcap==1.2"
N_ORDERS = 4
SMALL, TINY = 1e-9, 1e-15


def bleu_counts(inputs: CocoInputs) -> dict[str, np.ndarray]:
    """Per image: ``correct``/``guess`` ``(N, 4)``, ``testlen`` and ``reflen`` ``(N,)``."""
    from scipy import sparse

    n = inputs.n_images
    ng = count_ngrams(inputs.words, inputs.n_words, N_ORDERS)
    cand, refs = ng.sentences(0, n), ng.sentences(n, len(ng.n_words))
    # min(count in c, count in r_j), per (reference, order) row; then one empty row at the end
    paired = refs.minimum(cand[order_rows(inputs.image_of_ref, N_ORDERS)]).tocsr()
    paired = sparse.vstack([paired, sparse.csr_matrix((1, ng.n_grams))]).tocsr()
    empty = paired.shape[0] - 1
    clipped = None  # (N·4, G): max over an image's references, one reference slot at a time
    for k in range(int(inputs.n_refs.max())):
        has = np.repeat(inputs.n_refs > k, N_ORDERS)
        rows = np.where(has, order_rows(inputs.ref_start + k, N_ORDERS), empty)
        slot = paired[rows]
        clipped = slot if clipped is None else clipped.maximum(slot)
    correct = np.asarray(clipped.sum(axis=1), np.float64).ravel()
    testlen = ng.n_words[:n]
    reflens = ng.n_words[n:]
    big = int(reflens.max()) + 1
    closest = np.abs(reflens - testlen[inputs.image_of_ref]) * big + reflens
    return {
        "correct": np.rint(correct).astype(np.int64).reshape(n, N_ORDERS),
        "guess": np.maximum(0, testlen[:, None] - np.arange(N_ORDERS)),
        "testlen": testlen,
        "reflen": np.minimum.reduceat(closest, inputs.ref_start) % big,
    }


def bleu_from_counts(
    correct: np.ndarray, guess: np.ndarray, testlen: np.ndarray, reflen: np.ndarray
) -> np.ndarray:
    """BLEU-1..4 ``(..., 4)`` from counts ``(..., 4)`` and lengths ``(...)``, as BleuScorer."""
    bleu = np.ones(np.shape(testlen))
    out = np.empty(np.shape(correct), dtype=np.float64)
    for k in range(N_ORDERS):
        bleu = bleu * ((correct[..., k] + TINY) / (guess[..., k] + SMALL))
        out[..., k] = bleu ** (1.0 / (k + 1))
    ratio = (testlen + TINY) / (reflen + SMALL)
    with np.errstate(over="ignore"):
        brevity = np.where(ratio < 1, np.exp(1 - 1 / np.minimum(ratio, 1.0)), 1.0)
    return out * brevity[..., None]


def _corpus(c: dict[str, np.ndarray]) -> list[float]:
    """The corpus scores with Python floats, in BleuScorer's order of operations."""
    out, bleu = [], 1.0
    for k in range(N_ORDERS):
        bleu *= float(int(c["correct"][:, k].sum()) + TINY) / (int(c["guess"][:, k].sum()) + SMALL)
        out.append(bleu ** (1.0 / (k + 1)))
    ratio = (int(c["testlen"].sum()) + TINY) / (int(c["reflen"].sum()) + SMALL)
    if ratio < 1:
        out = [b * math.exp(1 - 1 / ratio) for b in out]
    return out


@METRICS.register("bleu")
@declares(*(ScoreInfo(f"bleu{n}", aggregation="corpus") for n in range(1, 5)))
def bleu(
    predictions: Sequence[str],
    references: Sequence[str] | Sequence[Sequence[str]],
    *,
    tokenizer: str = "python",
) -> MetricResult:
    """BLEU-1..4 of N predictions against their references, as pycocoevalcap 1.2 ``Bleu(4)``.

    Args:
        predictions: N candidate captions (raw text).
        references: N references, each a string or a list of strings (raw text).
        tokenizer: ``"python"``, ``"java"`` or ``"none"`` (see :func:`~mmbench.metrics.cider_d`).

    Returns:
        ``scores`` ``bleu1``..``bleu4`` (corpus-level, fractions) and ``per_example`` ``(N,)``
        arrays ``bleu1``..``bleu4`` (pycocoevalcap's per-image scores; their mean is *not* the
        corpus score).
    """
    inputs = prepare("bleu", predictions, references, tokenizer)
    counts = bleu_counts(inputs)
    per_image = bleu_from_counts(**counts)
    corpus = _corpus(counts)
    return MetricResult(
        scores={f"bleu{k + 1}": corpus[k] for k in range(N_ORDERS)},
        per_example={f"bleu{k + 1}": per_image[:, k] for k in range(N_ORDERS)},
        fingerprint=Fingerprint("bleu", VERSION, REFERENCE, tokenizer=inputs.tokenizer),
    )
