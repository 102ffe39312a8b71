"""CIDEr-D exactly as pycocoevalcap 1.2 ``Cider`` (n=4, σ=6), vectorised.

Per image i with candidate c and references r_1..r_m (tokenised, split on whitespace), for each
n-gram order n (1..4) and reference r::

    w_s(g) = tf_s(g) · (ln N − ln max(1, df(g)))      df: images whose references contain g
    sim_n(c, r) = Σ_g min(w_c(g), w_r(g)) · w_r(g) / (‖w_c‖ ‖w_r‖) · exp(−(ℓ_c − ℓ_r)² / 72)
    CIDEr-D(i) = 10 · mean_n(Σ_r sim_n(c, r)) / m        corpus: mean over the N images

with ℓ the number of *bigrams* of a sentence (pycocoevalcap's length quirk) and a similarity of 0
where a norm is 0. Since ``idf = ln N − ln max(1, df) ≥ 0``, every norm² and numerator is a sum
of ``coefficient · idf(g)²`` over n-grams with coefficients fixed by the counts (``tf²`` for the
norms, ``min(tf_c, tf_r)·tf_r`` for the numerators). So one pass computes them for a given set of
document frequencies, and a bootstrap resample only recomputes ``df`` (a duplicated image counts
as often as it is drawn; N = the resample size) and three products with fixed sparse matrices.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from mmbench.metrics._impl.coco_inputs import CocoInputs, prepare
from mmbench.metrics._impl.coco_ngrams import count_ngrams, order_rows
from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.bootstrap import bootstrap_ci
from mmbench.metrics.info import ScoreInfo, declares
from mmbench.registry import METRICS

if TYPE_CHECKING:
    from scipy import sparse

VERSION = "mmbench-cider/1"
REFERENCE = "pycocoevalcap==1.2"
SIGMA = 6.0
N_ORDERS = 4


class CiderD:
    """Fixed sparse structure of one corpus; :meth:`scores` evaluates it for image weights.

    The n-gram counts have one row per (sentence, order)
    (:mod:`~mmbench.metrics._impl.coco_ngrams`),
    so each norm² and numerator is one entry of ``coefficients @ idf²``.

    Args:
        inputs: tokenised candidates (N) and references (R, in image order).
    """

    def __init__(self, inputs: CocoInputs):
        from scipy import sparse

        n = inputs.n_images
        self.n_images, self.n_refs = n, inputs.n_refs
        self.image_of_ref, self.ref_start = inputs.image_of_ref, inputs.ref_start
        ng = count_ngrams(inputs.words, inputs.n_words, N_ORDERS)
        n_sent = len(ng.n_words)
        cand, refs = ng.sentences(0, n), ng.sentences(n, n_sent)
        # (N, G): one entry per (image, n-gram of its references); df = entries per n-gram.
        rows = refs.shape[0]  # an image's reference rows are contiguous
        members = sparse.csr_matrix(
            (
                np.ones(rows, np.int32),
                np.arange(rows),
                N_ORDERS * np.concatenate([[0], np.cumsum(self.n_refs)]),
            ),
            shape=(n, rows),
        )
        self._images = members @ refs
        self.df = np.bincount(self._images.indices, minlength=ng.n_grams)  # (G,) int64
        # min(tf_c, tf_r) on shared n-grams, row (r, k) against its image's candidate row (i, k)
        paired = refs.minimum(cand[order_rows(self.image_of_ref, N_ORDERS)])
        paired = paired.multiply(refs).tocsr()
        paired.eliminate_zeros()
        # Coefficients of idf²: ‖w_c‖², ‖w_r‖² and the numerators, per (sentence, order); as
        # float64 sharing the index arrays, so the products with idf² copy nothing.
        self._parts = [
            sparse.csr_matrix((data, m.indices, m.indptr), m.shape)
            for m, data in (
                (cand, np.square(cand.data, dtype=np.float64)),
                (refs, np.square(refs.data, dtype=np.float64)),
                (paired, paired.data.astype(np.float64)),
            )
        ]
        bigrams = np.maximum(ng.n_words - 1, 0).astype(np.float64)  # the length quirk
        delta = bigrams[:n][self.image_of_ref] - bigrams[n:]
        self.penalty = np.e ** (-(delta**2) / (2 * SIGMA**2))  # (R,)
        self._log = np.log(np.maximum(1.0, np.arange(n + 1, dtype=np.float64)))
        self._incidence: sparse.csr_matrix | None = None

    def _incidence_matrix(self) -> sparse.csr_matrix:
        """``(G, N)``: 1 where image i's references hold n-gram g (for reweighted corpora)."""
        if self._incidence is None:
            inc = self._images.T.tocsr()
            inc.data[:] = 1
            self._incidence = inc.astype(np.float64)
        return self._incidence

    def scores(self, counts: np.ndarray | None = None) -> np.ndarray:
        """Per-image CIDEr-D ``(N,)`` with document frequencies from a weighted corpus.

        ``counts[i]`` is how often image i is in the corpus (default: once each); the corpus
        size is ``counts.sum()``. Images with count 0 still get a score (under those weights).
        """
        if counts is None:
            df, size = self.df, float(self.n_images)
        else:
            df = np.rint(self._incidence_matrix() @ counts).astype(np.int64)
            size = float(counts.sum())
        idf = np.log(size) - self._log[df]
        q = idf * idf
        norm_c, norm_r, num = ((p @ q).reshape(-1, N_ORDERS) for p in self._parts)
        den = np.sqrt(norm_c)[self.image_of_ref] * np.sqrt(norm_r)
        sim = np.divide(num, den, out=np.zeros_like(num), where=den != 0)
        sim *= self.penalty[:, None]
        per_order = np.add.reduceat(sim, self.ref_start, axis=0)  # (N, 4): Σ over references
        return per_order.mean(axis=1) / self.n_refs * 10.0

    def corpus(self, idx: np.ndarray) -> float:
        """Corpus CIDEr-D of the resample ``idx`` (image indices, repeats allowed)."""
        counts = np.bincount(idx, minlength=self.n_images).astype(np.float64)
        return float(counts @ self.scores(counts) / len(idx))


@METRICS.register("cider")
@declares(ScoreInfo("cider"))
def cider_d(
    predictions: Sequence[str],
    references: Sequence[str] | Sequence[Sequence[str]],
    *,
    tokenizer: str = "python",
    ci: bool = False,
    n_resamples: int = 1000,
    seed: int = 0,
) -> MetricResult:
    """CIDEr-D of N predictions against their references, as pycocoevalcap 1.2 ``Cider``.

    Args:
        predictions: N candidate captions (raw text).
        references: N references, each a string or a list of strings (raw text).
        tokenizer: ``"python"`` (PTBTokenizer port, no Java), ``"java"`` (pycocoevalcap's own
            PTBTokenizer) or ``"none"`` (already tokenised: split on whitespace as is).
        ci: add a seeded percentile bootstrap 95% interval (``n_resamples`` resamples of the
            images; document frequencies recomputed on each).

    Returns:
        ``scores["cider"]`` (the corpus mean, on pycocoevalcap's scale: ×10, not ×100) and
        ``per_example["cider"]`` ``(N,)``.
    """
    inputs = prepare("cider", predictions, references, tokenizer)
    model = CiderD(inputs)
    per_image = model.scores()
    result = MetricResult(
        scores={"cider": float(np.mean(per_image))},
        per_example={"cider": per_image},
        fingerprint=Fingerprint("cider", VERSION, REFERENCE, tokenizer=inputs.tokenizer),
    )
    if ci:
        result.ci = bootstrap_ci(
            lambda idx: {"cider": model.corpus(idx)},
            model.n_images,
            n_resamples=n_resamples,
            seed=seed,
        )
    return result
