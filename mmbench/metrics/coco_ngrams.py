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
        counts: ``(S, G)`` CSR matrix (int64): ``counts[s, g]`` = occurrences of n-gram g in s;
            column indices sorted within each row.
        order: ``(G,)`` int64, the order (1..n) of each n-gram.
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
    return codes.astype(np.int64, copy=False), len(uniques)


def count_ngrams(tok: np.ndarray, n_words: np.ndarray, n: int = 4) -> NgramCounts:
    """Counts of all 1..n-grams of S sentences given as word ids.

    Args:
        tok: ``(T,)`` int64 word ids of all sentences, one after the other.
        n_words: ``(S,)`` int64 words per sentence (summing to T).
    """
    from scipy import sparse

    tok, vocab = _factorize(tok)  # compact ids: 0..vocab-1
    remaining = np.repeat(np.cumsum(n_words), n_words) - np.arange(len(tok))  # words from here on
    # grams[p, k-1]: id of the k-gram starting at position p (-1: none). Read row by row, the
    # entries come sentence by sentence, as CSR rows need them.
    grams = np.full((len(tok), n), -1, np.int64)
    grams[:, 0] = tok
    orders, prev, offset = [np.ones(vocab, np.int64)], tok, vocab
    for k in range(2, n + 1):
        (pos,) = np.nonzero(remaining >= k)
        codes, n_k = _factorize(prev[pos] * vocab + tok[pos + k - 1])
        prev = np.full(len(tok), -1, np.int64)
        prev[pos] = codes
        grams[pos, k - 1] = codes + offset
        orders.append(np.full(n_k, k, np.int64))
        offset += n_k
    flat = grams.ravel()
    indices = flat[flat >= 0]
    per_sentence = sum(np.maximum(n_words - k + 1, 0) for k in range(1, n + 1))
    indptr = np.concatenate([[0], np.cumsum(per_sentence)])
    counts = sparse.csr_matrix(
        (np.ones(len(indices), np.int64), indices, indptr), shape=(len(n_words), offset)
    )
    counts.sum_duplicates()  # sorts each row's n-gram ids and adds up repeats
    return NgramCounts(counts, np.concatenate(orders), n_words)


def row_ids(m: sparse.csr_matrix) -> np.ndarray:
    """``(nnz,)`` row index of each stored entry of a CSR matrix."""
    return np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))
