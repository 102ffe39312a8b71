"""Vectorised 1..n-gram counts for the coco-caption metrics (CIDEr-D and BLEU).

pycocoevalcap counts n-grams of ``sentence.split()`` in Python dicts keyed by word tuples. Here
the words come as integer ids, every n-gram gets an integer id (built order by order: the id of
``(w1..wk)`` is the rank of the pair (id of ``w1..wk-1``, id of ``wk``)), and the counts form a
sparse matrix with one row per (sentence, order): row ``n·s + k − 1`` holds the k-grams of
sentence s. Per-order sums are then plain row sums (``matrix @ weights``), with no dense
``(n-grams, orders)`` array.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas and scipy load on first use: `import mmbench.metrics` stays light
    from scipy import sparse


@dataclass
class NgramCounts:
    """N-gram counts of S sentences, orders 1..n.

    Attributes:
        counts: ``(S·n, G)`` CSR matrix (int32): ``counts[n·s + k − 1, g]`` = occurrences of the
            k-gram g in sentence s; column indices sorted within each row.
        order: ``(G,)`` int64, the order (1..n) of each n-gram, non-decreasing: ids come
            order by order (all unigrams, then all bigrams, ...).
        n_words: ``(S,)`` int64, words per sentence.
        n_orders: n, the highest order counted (rows per sentence).
    """

    counts: sparse.csr_matrix
    order: np.ndarray
    n_words: np.ndarray
    n_orders: int

    @property
    def n_grams(self) -> int:
        return self.counts.shape[1]

    def sentences(self, lo: int, hi: int) -> sparse.csr_matrix:
        """The rows of sentences ``lo..hi-1`` (all their orders), sharing this matrix's arrays."""
        from scipy import sparse

        n = self.n_orders
        ptr = self.counts.indptr[n * lo : n * hi + 1]
        a, b = ptr[0], ptr[-1]
        m = sparse.csr_matrix(
            (self.counts.data[a:b], self.counts.indices[a:b], ptr - a),
            shape=(n * (hi - lo), self.n_grams),
        )
        m.has_canonical_format = True  # a slice of a canonical matrix
        return m


def _factorize(keys: np.ndarray) -> tuple[np.ndarray, int]:
    import pandas as pd

    codes, uniques = pd.factorize(keys, sort=False, size_hint=len(keys))
    return codes, len(uniques)


def count_ngrams(tok: np.ndarray, n_words: np.ndarray, n: int = 4) -> NgramCounts:
    """Counts of all 1..n-grams of S sentences given as word ids.

    Args:
        tok: ``(T,)`` int64 word ids (≥ 0) of all sentences, one after the other.
        n_words: ``(S,)`` int64 words per sentence (summing to T).

    Arrays stay small (int32 where possible): on a fresh process every new page of memory
    costs a page fault, which dominates a first call.
    """
    from scipy import sparse

    n_words = np.asarray(n_words, np.int64)
    vocab = int(tok.max()) + 1 if len(tok) else 1
    if vocab > 2 * len(tok) + 1024:  # sparse ids (e.g. a long-lived tokenizer memo): compact
        tok, vocab = _factorize(tok)
    ends = np.cumsum(n_words)
    starts = ends - n_words
    remaining = np.repeat(ends, n_words) - np.arange(len(tok))  # words from here on, ≥ 1
    per_order = np.maximum(n_words[:, None] - np.arange(n), 0)  # (S, n): k-grams per sentence
    indptr = np.zeros(per_order.size + 1, np.int64)
    np.cumsum(per_order.ravel(), out=indptr[1:])
    indices = np.empty(int(indptr[-1]), np.int32 if len(tok) * n < 2**31 else np.int64)
    pos, codes, n_k, offset = np.arange(len(tok)), tok, vocab, 0
    orders = []
    for k in range(1, n + 1):
        if k > 1:  # k-grams start where ≥ k words remain; id from (id of (k−1)-gram, word)
            keep = remaining[pos] >= k
            pos = pos[keep]
            codes, n_k = _factorize(codes[keep] * vocab + tok[pos + k - 1])
        slot = indptr[k - 1 : -1 : n] - starts  # + position: where the k-gram goes in row (s, k)
        indices[np.repeat(slot, per_order[:, k - 1]) + pos] = codes + offset
        orders.append(np.full(n_k, k, np.int64))
        offset += n_k
    counts = sparse.csr_matrix(
        (np.ones(len(indices), np.int32), indices, indptr), shape=(per_order.size, offset)
    )
    counts.sum_duplicates()  # sorts each row's n-gram ids and adds up repeats
    return NgramCounts(counts, np.concatenate(orders), n_words, n)


def order_rows(sentences: np.ndarray, n: int) -> np.ndarray:
    """Row ids ``n·s + k`` (k = 0..n−1) of the given sentences, sentence by sentence."""
    return (np.asarray(sentences, np.int64)[:, None] * n + np.arange(n)).ravel()
