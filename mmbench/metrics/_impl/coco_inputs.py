"""Inputs of the coco-caption metrics: checks, and tokenisation as COCOEvalCap does it.

COCOEvalCap tokenises the references (all images, in order) in one PTBTokenizer call and the
candidates in another; the metrics then split the tokenised strings on whitespace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from mmbench.errors import MmbenchError
from mmbench.metrics._impl import allocator
from mmbench.metrics._ptb.tokenizer import (
    java_ptb_tokenize,
    ptb_tokenize,
    ptb_word_ids,
    trim_cache,
    words_to_ids,
)

TOKENIZERS = {"python": "ptb-python/1", "java": "ptb-java", "none": "none"}


def _check(metric: str, predictions: Sequence[str], refs: list[list[str]]) -> None:
    """Raise naming the first offending examples (strings' subclasses are fine)."""
    problems = {
        "predictions that are not strings": [
            i for i, p in enumerate(predictions) if not isinstance(p, str)
        ],
        "examples without references": [i for i, r in enumerate(refs) if not r],
        "examples with non-string references": [
            i for i, r in enumerate(refs) if any(not isinstance(x, str) for x in r)
        ],
    }
    lines = [f"{metric}: {k} (first: {v[:5]})" for k, v in problems.items() if v]
    if lines:
        raise MmbenchError(lines)


@dataclass
class CocoInputs:
    """N candidates and R references (flattened in image order), tokenised.

    Attributes:
        words: ``(T,)`` int64 word ids of all sentences, candidates first, then references.
        n_words: ``(N + R,)`` int64, words per sentence.
        image_of_ref: ``(R,)`` int64, the image of each reference.
        n_refs: ``(N,)`` int64, references per image (≥ 1).
        tokenizer: the fingerprint tag of the tokenizer used.
        strings: the tokenised sentences (candidates, then references), when asked for.
    """

    words: np.ndarray
    n_words: np.ndarray
    image_of_ref: np.ndarray
    n_refs: np.ndarray
    tokenizer: str
    strings: list[str] | None = None

    @property
    def n_images(self) -> int:
        return len(self.n_refs)

    @property
    def ref_start(self) -> np.ndarray:
        """``(N,)`` index of each image's first reference."""
        return np.cumsum(self.n_refs) - self.n_refs


def prepare(
    metric: str,
    predictions: Sequence[str],
    references: Sequence[str] | Sequence[Sequence[str]],
    tokenizer: str,
    *,
    strings: bool = False,
) -> CocoInputs:
    """Check and tokenise. ``references[i]`` is a string or a non-empty list of strings.

    ``tokenizer``: ``"python"`` (mmbench's PTBTokenizer port), ``"java"`` (pycocoevalcap's own,
    needs Java) or ``"none"`` (inputs are already tokenised). ``strings``: also keep the
    tokenised sentences (ROUGE-L splits them on single spaces, not on any whitespace).
    """
    if tokenizer not in TOKENIZERS:
        raise MmbenchError(
            f"{metric}: unknown tokenizer {tokenizer!r} (allowed: {', '.join(TOKENIZERS)})"
        )
    if len(predictions) != len(references):
        raise MmbenchError(
            f"{metric}: {len(predictions)} predictions but {len(references)} reference sets"
        )
    if not predictions:
        raise MmbenchError(f"{metric}: no predictions to score")
    refs = [[r] if isinstance(r, str) else list(r) for r in references]
    flat = list(chain.from_iterable(refs))
    # Checked in C first (types, emptiness); the indices are only looked for on a problem.
    if not (set(map(type, predictions)) | set(map(type, flat)) <= {str} and all(refs)):
        _check(metric, predictions, refs)
    n_refs = np.fromiter(map(len, refs), np.int64, len(refs))
    allocator.prime()
    trim_cache()
    if tokenizer == "python" and not strings:  # word ids straight from the tokenizer's memo
        (wc, nc), (wr, nr) = ptb_word_ids(list(predictions)), ptb_word_ids(flat)
        sents = None
    else:
        tok = {"python": ptb_tokenize, "java": java_ptb_tokenize, "none": list}[tokenizer]
        sents = tok(list(predictions)) + tok(flat)
        (wc, nc), (wr, nr) = words_to_ids(sents), (np.zeros(0, np.int64),) * 2
    return CocoInputs(
        words=np.concatenate([wc, wr]),
        n_words=np.concatenate([nc, nr]),
        image_of_ref=np.repeat(np.arange(len(refs), dtype=np.int64), n_refs),
        n_refs=n_refs,
        tokenizer=TOKENIZERS[tokenizer],
        strings=sents,
    )
