"""ROUGE-N / ROUGE-L / ROUGE-Lsum, exactly as rouge-score 0.1.2 computes them, several times faster.

For each example ``rouge_scorer.RougeScorer(types, use_stemmer).score(reference, prediction)``
(reference first: precision is relative to the prediction) gives per type a precision, recall and
F = 2PR/(P+R); with several references ``score_multi`` keeps, per type, the reference with the
highest F (the first one on ties). The corpus score is the mean over examples.

Where the speed comes from (the numbers do not change):
- one pass per text (a byte translation when ASCII) and a memoised stemmer
  (:mod:`mmbench.metrics._impl.rouge_tokenize`); each text is split into lines and tokenised
  once, its whole-text tokens being the lines' ones end to end;
- the four default types in one loop (:func:`_default_rows`): a prediction's unigram and bigram
  counts and LCS masks are built once for all its references; per reference only the tokens
  (and bigrams) that occur in the prediction are counted, after a C-level filter, and a pair
  without a common token scores 0 on every type before any bigram or LCS work;
- bit-parallel LCS rows (:mod:`mmbench.metrics._impl.lcs`): one pass of the reference through
  the rows gives ROUGE-L's LCS length and, for ROUGE-Lsum, the LCS of each reference line against
  all prediction lines at once; only rows whose token occurs in the prediction are visited, then
  rouge-score's backtrack is replayed from the stored rows, stopping in each line as soon as its
  LCS is complete, and the union's tokens are counted directly; a single-line pair reuses ROUGE-L
  (they are equal);
- a prediction without tokens scores 0 on every type without looking at its references.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from functools import partial
from itertools import chain, compress

import numpy as np

from mmbench.errors import MmbenchError
from mmbench.metrics._impl.lcs import PackedLines, lcs_length
from mmbench.metrics._impl.rouge_tokenize import RougeTokenizer, stemmer_version
from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.info import ScoreInfo, declares
from mmbench.registry import METRICS, did_you_mean

try:  # the C helper behind Counter.update; skips Counter's Python-level dispatch
    from collections import _count_elements  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Python implementations

    def _count_elements(mapping: dict, iterable) -> None:  # type: ignore[no-redef]
        for elem in iterable:
            mapping[elem] = mapping.get(elem, 0) + 1


log = logging.getLogger(__name__)

VERSION = "mmbench-rouge/1"
DEFAULT_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_ROUGE_N_RE = re.compile(r"rouge[1-9]$")  # rouge-score accepts rouge[0-9]$ and rejects rouge0

Score = tuple[float, float, float]  # (precision, recall, fmeasure)
_ZERO: Score = (0.0, 0.0, 0.0)


def fingerprint(use_stemmer: bool = False) -> Fingerprint:
    """The fingerprint logged with ROUGE scores computed with or without the stemmer."""
    return Fingerprint(
        metric="rouge",
        version=VERSION,
        reference="rouge-score==0.1.2",
        normalizer=f"porter-nltk-{stemmer_version()}" if use_stemmer else "none",
        tokenizer="rouge-score-default",
    )


def _fscore(hits: int, n_pred: int, n_ref: int) -> Score:
    """P = hits/n_pred, R = hits/n_ref, F as rouge-score's ``scoring.fmeasure``."""
    p = hits / n_pred
    r = hits / n_ref
    return (p, r, 2 * p * r / (p + r) if p + r > 0 else 0.0)


class _Text:
    """One tokenised text with the derived structures cached (n-gram counts, LCS masks)."""

    __slots__ = ("tokens", "lines", "unigrams", "_ngrams", "_packed")

    def __init__(self, text: str, tokenize: RougeTokenizer, need_lines: bool) -> None:
        if need_lines and "\n" in text:
            lines = self.lines = tokenize.lines(text)  # non-empty token lists, one per line
            self.tokens = lines[0] if len(lines) == 1 else list(chain.from_iterable(lines))
        else:
            tokens = self.tokens = tokenize(text)
            self.lines = [tokens] if tokens else []
        unigrams: dict[str, int] = {}  # every type but rougeL needs them: counted once
        _count_elements(unigrams, self.tokens)
        self.unigrams = unigrams
        self._ngrams: dict[int, dict] | None = None
        self._packed: PackedLines | None = None

    def ngrams(self, n: int) -> dict:
        """``{n-gram: count}``; unigrams are the tokens themselves, longer ones tuples."""
        if n == 1:
            return self.unigrams
        cache = self._ngrams
        if cache is None:
            cache = self._ngrams = {}
        counts = cache.get(n)
        if counts is None:
            toks = self.tokens
            counts = cache[n] = {}
            if n == 2:
                _count_elements(counts, zip(toks, toks[1:]))
            else:
                _count_elements(counts, zip(*(toks[k:] for k in range(n))))
        return counts

    def packed(self) -> PackedLines:
        if self._packed is None:
            self._packed = PackedLines(self.lines)
        return self._packed

    def masks(self) -> dict[str, int]:
        """Per-token column masks of the whole text for the LCS (the packed lines' ones do)."""
        return self.packed().masks


def _rouge_1(ref: _Text, pred: _Text) -> Score:
    rc, pc = ref.unigrams, pred.unigrams
    common = rc.keys() & pc.keys()
    hits = sum(map(min, map(rc.__getitem__, common), map(pc.__getitem__, common)))
    return _fscore(hits, len(pred.tokens) or 1, len(ref.tokens) or 1)


def _rouge_n(ref: _Text, pred: _Text, n: int) -> Score:
    rc, pc = ref.ngrams(n), pred.ngrams(n)
    common = rc.keys() & pc.keys()
    hits = sum(map(min, map(rc.__getitem__, common), map(pc.__getitem__, common)))
    return _fscore(hits, max(len(pred.tokens) - n + 1, 1), max(len(ref.tokens) - n + 1, 1))


def _rouge_l(ref: _Text, pred: _Text) -> Score:
    if not ref.tokens or not pred.tokens:
        return _ZERO
    return _fscore(lcs_length(ref.tokens, pred.masks()), len(pred.tokens), len(ref.tokens))


def _rouge_lsum(ref: _Text, pred: _Text) -> Score:
    """Summary-level LCS (rouge-score ``_summary_level_lcs``) over the lines of both texts."""
    if not ref.tokens or not pred.tokens:
        return _ZERO
    if len(ref.lines) == 1 and len(pred.lines) == 1:
        return _rouge_l(ref, pred)  # one LCS, all of whose tokens fit the budgets
    # rouge-score walks each line's union LCS in order and counts a token as a hit while both
    # its budgets (occurrences in the whole reference and prediction) are positive, spending one
    # of each per hit. Tokens never interact, so hits of token t = min(U_t, R_t, C_t) with U_t
    # its occurrences in all the unions; U_t <= R_t as the unions hold distinct positions.
    counts_u = pred.packed().union_counts(ref.lines)
    if not counts_u:
        return _ZERO
    hits = sum(map(min, counts_u.values(), map(pred.unigrams.__getitem__, counts_u)))
    return _fscore(hits, len(pred.tokens), len(ref.tokens))


def _default_rows(
    predictions: Sequence[str], ref_groups: list[list[str]], tokenize: RougeTokenizer
) -> list[list[Score]]:
    """Per example ``[rouge1, rouge2, rougeL, rougeLsum]`` (the default types) in one loop.

    The numbers of :func:`_rouge_1`, :func:`_rouge_n` (n = 2), :func:`_rouge_l` and
    :func:`_rouge_lsum`, with the per-pair work shared and inlined: each text is split into
    lines and tokenised once (its tokens are the lines' tokens end to end: rouge-score's
    whole-text tokens, as a newline only separates); the prediction's unigram counts, bigram
    counts and packed LCS masks are built once for all its references; a pair without a common
    token scores 0 on every type before any bigram or LCS work; one pass of the reference
    through the LCS rows gives both ROUGE-L and ROUGE-Lsum. Wherever the shared path is taken
    the hit count is positive, so ``P + R > 0`` and F is ``2PR/(P+R)`` as ``_fscore`` computes.
    """
    lines_of = tokenize.lines
    zeros = [_ZERO] * 4
    rows: list[list[Score]] = []
    append = rows.append
    for pred_text, group in zip(predictions, ref_groups):
        p_lines = lines_of(pred_text)
        if not p_lines:  # no hits and no LCS against any reference: every type scores 0
            append(zeros)
            continue
        p_toks = p_lines[0] if len(p_lines) == 1 else list(chain.from_iterable(p_lines))
        n_pred = len(p_toks)
        pc: dict[str, int] = {}
        _count_elements(pc, p_toks)
        p_bigrams: dict | None = None
        packed: PackedLines | None = None
        best: list[Score] | None = None
        for ref_text in group:
            r_lines = lines_of(ref_text)
            cand = zeros
            if r_lines:
                r_toks = r_lines[0] if len(r_lines) == 1 else list(chain.from_iterable(r_lines))
                # Only the reference tokens that occur in the prediction can be hits: counted
                # after a C-level filter, min(R_t, C_t) needs no count of the others. Their
                # LCS masks (None for the others) pick the same tokens.
                if packed is None:
                    packed = PackedLines(p_lines)
                ms = list(map(packed.masks.get, r_toks))
                shared = list(compress(r_toks, ms))
            if r_lines and shared:
                n_ref = len(r_toks)
                rc: dict[str, int] = {}
                _count_elements(rc, shared)
                hits = sum(map(min, rc.values(), map(pc.__getitem__, rc)))
                p, r = hits / n_pred, hits / n_ref
                s1 = (p, r, 2 * p * r / (p + r))
                s2 = _ZERO  # a single token has no bigram
                if n_ref > 1 and n_pred > 1:
                    if p_bigrams is None:
                        p_bigrams = {}
                        _count_elements(p_bigrams, zip(p_toks, p_toks[1:]))
                    pb = p_bigrams
                    shared = list(filter(pb.__contains__, zip(r_toks, r_toks[1:])))
                    if shared:
                        rb: dict = {}
                        _count_elements(rb, shared)
                        hits = sum(map(min, rb.values(), map(pb.__getitem__, rb)))
                        p, r = hits / (n_pred - 1), hits / (n_ref - 1)
                        s2 = (p, r, 2 * p * r / (p + r))
                if len(r_lines) == 1 and len(p_lines) == 1:
                    # One LCS, all of whose tokens fit the budgets: ROUGE-Lsum == ROUGE-L.
                    d = 0  # lcs_length(r_toks, packed.masks), over the matching rows only
                    for m in filter(None, ms):
                        x = m | d
                        d = x & ~(x - ((d << 1) | 1))
                    lcs = d.bit_count()
                    p, r = lcs / n_pred, lcs / n_ref
                    s_l = s_lsum = (p, r, 2 * p * r / (p + r))
                else:
                    lcs, counts_u = packed.lcs_and_union_counts(r_lines, r_toks, ms)
                    p, r = lcs / n_pred, lcs / n_ref
                    s_l = (p, r, 2 * p * r / (p + r))
                    # See _rouge_lsum: hits of token t = min(U_t, C_t), positive for taken t.
                    hits = sum(map(min, counts_u.values(), map(pc.__getitem__, counts_u)))
                    p, r = hits / n_pred, hits / n_ref
                    s_lsum = (p, r, 2 * p * r / (p + r))
                cand = [s1, s2, s_l, s_lsum]
            if best is None:
                best = cand
            else:  # np.argmax semantics: the first maximum wins
                best = [c if c[2] > b[2] else b for c, b in zip(cand, best)]
        append(best)  # type: ignore[arg-type]
    return rows


def _scorer(rouge_type: str) -> Callable[[_Text, _Text], Score]:
    if rouge_type == "rougeL":
        return _rouge_l
    if rouge_type == "rougeLsum":
        return _rouge_lsum
    if rouge_type == "rouge1":
        return _rouge_1
    return partial(_rouge_n, n=int(rouge_type[5:]))


def _rows(
    predictions: Sequence[str],
    ref_groups: list[list[str]],
    tokenize: RougeTokenizer,
    types: tuple[str, ...],
) -> list[list[Score]]:
    """Per example one score per type, for any types (one scorer per type)."""
    need_lines = "rougeLsum" in types
    scorers = [_scorer(rt) for rt in types]
    rows: list[list[Score]] = []
    zeros = [_ZERO] * len(types)
    for pred_text, group in zip(predictions, ref_groups):
        pred = _Text(pred_text, tokenize, need_lines)
        if not pred.tokens:  # no hits and no LCS against any reference: every type scores 0
            rows.append(zeros)
            continue
        ref = _Text(group[0], tokenize, need_lines)
        best = [fn(ref, pred) for fn in scorers]
        for ref_text in group[1:]:
            ref = _Text(ref_text, tokenize, need_lines)
            for k, fn in enumerate(scorers):
                cand = fn(ref, pred)
                if cand[2] > best[k][2]:  # np.argmax semantics: the first maximum wins
                    best[k] = cand
        rows.append(best)
    return rows


def _check_types(rouge_types: Sequence[str]) -> tuple[str, ...]:
    types = tuple(dict.fromkeys(rouge_types))  # duplicates would misalign the columns
    if not types:
        raise MmbenchError("rouge: rouge_types is empty; use e.g. ('rouge1', 'rougeL')")
    for rt in types:
        if not isinstance(rt, str) or not (rt in ("rougeL", "rougeLsum") or _ROUGE_N_RE.match(rt)):
            hint = did_you_mean(str(rt), list(DEFAULT_TYPES))
            raise MmbenchError(
                f"rouge: invalid rouge type {rt!r}{hint} (allowed: rouge1 … rouge9, rougeL, "
                "rougeLsum)"
            )
    return types


def _check_inputs(
    predictions: Sequence[str], references: Sequence[str] | Sequence[Sequence[str]]
) -> list[list[str]]:
    if len(predictions) != len(references):
        raise MmbenchError(
            f"rouge: {len(predictions)} predictions but {len(references)} references; "
            "give one reference (or one list of references) per prediction"
        )
    refs: list[list[str]] = []
    for i, (pred, ref) in enumerate(zip(predictions, references)):
        if not isinstance(pred, str):
            raise MmbenchError(f"rouge: prediction {i} is {type(pred).__name__}, not str")
        group = [ref] if isinstance(ref, str) else list(ref)
        if not group:
            raise MmbenchError(f"rouge: example {i} has no references")
        for r in group:
            if not isinstance(r, str):
                raise MmbenchError(f"rouge: a reference of example {i} is {type(r).__name__}")
        refs.append(group)
    return refs


@METRICS.register("rouge")
@declares(*(ScoreInfo(t) for t in ("rouge1", "rouge2", "rougeL", "rougeLsum")))
def rouge(
    predictions: Sequence[str],
    references: Sequence[str] | Sequence[Sequence[str]],
    *,
    use_stemmer: bool = False,
    rouge_types: Sequence[str] = DEFAULT_TYPES,
) -> MetricResult:
    """ROUGE F, precision and recall, equal to rouge-score 0.1.2's ``RougeScorer``.

    Args:
        predictions: N predicted texts; ``\\n`` separates sentences for ``rougeLsum``.
        references: N reference texts, or N lists of references (best reference per type by F,
            as ``RougeScorer.score_multi``).
        use_stemmer: apply nltk's Porter stemmer to tokens longer than 3 characters.
        rouge_types: any of ``rouge1`` … ``rouge9``, ``rougeL``, ``rougeLsum``.

    Returns:
        ``scores``: per type the mean F over the N examples (key ``rouge1``…) and the mean
        precision and recall (``rouge1_p``, ``rouge1_r``…); ``per_example``: the same keys, each
        a float64 array of length N. With N = 0 every score is 0.0.
    """
    types = _check_types(rouge_types)
    ref_groups = _check_inputs(predictions, references)
    tokenize = RougeTokenizer(use_stemmer)
    rows: list[list[Score]]  # (N, T) of (P, R, F)
    if types == DEFAULT_TYPES:
        rows = _default_rows(predictions, ref_groups, tokenize)
    else:
        rows = _rows(predictions, ref_groups, tokenize, types)
    flat = chain.from_iterable(chain.from_iterable(rows))
    table = np.fromiter(flat, dtype=np.float64, count=3 * len(types) * len(rows))
    table = table.reshape(len(rows), len(types), 3)
    per_example: dict[str, np.ndarray] = {}
    for k, rt in enumerate(types):
        per_example[rt] = table[:, k, 2].copy()
        per_example[f"{rt}_p"] = table[:, k, 0].copy()
        per_example[f"{rt}_r"] = table[:, k, 1].copy()
    scores = {k: float(v.mean()) if len(v) else 0.0 for k, v in per_example.items()}
    log.debug("rouge: %d examples, types %s, stemmer %s", len(predictions), types, use_stemmer)
    return MetricResult(
        scores=scores, per_example=per_example, fingerprint=fingerprint(use_stemmer)
    )
