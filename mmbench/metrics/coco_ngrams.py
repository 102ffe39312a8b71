"""Vectorised 1..n-gram counts for the coco-caption metrics (CIDEr-D and BLEU).

pycocoevalcap counts n-grams of ``sentence.split()`` in Python dicts keyed by word tuples. Here
the words come as integer ids, every n-gram gets an integer id (built order by order: the id of
``(w1..wk)`` is the rank of the pair (id of ``w1..wk-1``, id of ``wk``)), and the counts of each
sentence form one row of a sparse ``(S, G)`` matrix over all G distinct n-grams of all orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas and scipy load on first use: `import mmbench.metrics` stays light
    from scipy import sparse


@dataclass
class NgramCounts:
    """N-gram counts of S sentences.

    Attributes:
        counts: ``(S, G)`` CSR matrix (int32): ``counts[s, g]`` = occurrences of n-gram g in s;
            column indices sorted within each row.
        order: ``(G,)`` int64, the order (1..n) of each n-gram, non-decreasing: ids come
            order by order (all unigrams, then all bigrams, ...).
        n_words: ``(S,)`` int64, words per sentence.
    """

    counts: sparse.csr_matrix
    order: np.ndarray
    n_words: np.ndarray

    @property
    def n_grams(self) -> int:
        return self.counts.shape[1]


def _factorize(keys: np.ndarray) -> tuple[np.ndarray, int]:
    import pandas as pd

    codes, uniques = pd.factorize(keys, sort=False, size_hint=len(keys))
    return codes, len(uniques)


def count_ngrams(tok: np.ndarray, n_words: np.ndarray, n: int = 4) -> NgramCounts:
    """Counts of all 1..n-grams of S sentences given as word ids.

    Args:
        tok: ``(T,)`` int64 word ids (≥ 0) of all sentences, one after the other.
        n_words: ``(S,)`` int64 words per sentence (summing to T).

    Each row's entries are laid out order by order (k-gram ids all exceed (k−1)-gram ids), so
    only the entries of one order need sorting. Arrays stay small (int32 where possible): on a
    fresh process every new page of memory costs a page fault, which dominates a first call.
    """
    from scipy import sparse

    n_words = np.asarray(n_words, np.int64)
    vocab = int(tok.max()) + 1 if len(tok) else 1
    if vocab > 2 * len(tok) + 1024:  # sparse ids (e.g. a long-lived tokenizer memo): compact
        tok, vocab = _factorize(tok)
    ends = np.cumsum(n_words)
    starts = ends - n_words
    remaining = np.repeat(ends, n_words) - np.arange(len(tok))  # words from here on, ≥ 1
    per_order = [np.maximum(n_words - k + 1, 0) for k in range(1, n + 1)]  # (S,) each
    indptr = np.zeros(len(n_words) + 1, np.int64)
    np.cumsum(sum(per_order), out=indptr[1:])
    slot = indptr[:-1] - starts  # + position: where a position's k-gram goes in its row
    indices = np.empty(int(indptr[-1]), np.int32 if len(tok) * n < 2**31 else np.int64)
    pos, codes, n_k, offset = np.arange(len(tok)), tok, vocab, 0
    orders = []
    for k in range(1, n + 1):
        if k > 1:  # k-grams start where ≥ k words remain; id from (id of (k−1)-gram, word)
            keep = remaining[pos] >= k
            pos = pos[keep]
            codes, n_k = _factorize(codes[keep] * vocab + tok[pos + k - 1])
            slot += per_order[k - 2]  # the (k−1)-grams came first in each row
        indices[np.repeat(slot, per_order[k - 1]) + pos] = codes + offset
        orders.append(np.full(n_k, k, np.int64))
        offset += n_k
    counts = sparse.csr_matrix(
        (np.ones(len(indices), np.int32), indices, indptr), shape=(len(n_words), offset)
    )
    counts.sum_duplicates()  # sorts each row's n-gram ids and adds up repeats
    return NgramCounts(counts, np.concatenate(orders), n_words)


def row_ids(m: sparse.csr_matrix) -> np.ndarray:
    """``(nnz,)`` row index of each stored entry of a CSR matrix."""
    return np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))
