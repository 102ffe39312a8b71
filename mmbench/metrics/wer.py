"""Word and character error rates, agreeing exactly with jiwer 4.0.0 defaults.

WER tokens: runs of 2+ whitespace characters (regex ``\\s\\s+``) become one space, strip, split on
the single space character, drop empty pieces (so a lone tab is *not* a word boundary). CER
tokens: strip, then every code point (spaces included). No case or punctuation folding unless a
named normaliser (:mod:`mmbench.metrics.text_normalizers`) is asked for.

Alignment: unit-cost Levenshtein from rapidfuzz (the edit operations jiwer's opcodes come from),
giving hits H, substitutions S, deletions D, insertions I per utterance.

Corpus (micro average, as jiwer): ``WER = ΣS+ΣD+ΣI / ΣH+ΣS+ΣD``; ``MER = errors / (H+S+D+I)``;
``WIL = 1 − (H/N_ref)·(H/N_hyp)``. When the total reference length is 0, jiwer returns the raw
insertion count as WER (``wer("", "hello there") = 2``), MER 0 or 1 and WIL 0 or 1; the same
rules give the per-utterance scores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from rapidfuzz.distance import Levenshtein

from mmbench.errors import MmbenchError
from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.info import ScoreInfo, declares
from mmbench.metrics.text_normalizers import get_normalizer
from mmbench.registry import METRICS

VERSION = "1"
REFERENCE = "jiwer==4.0.0 (default transforms)"
_MULTI_WS = re.compile(r"\s\s+")
COUNT_KEYS = ("hits", "substitutions", "deletions", "insertions")


def _words(text: str) -> list[str]:
    return [w for w in _MULTI_WS.sub(" ", text).strip().split(" ") if w]


def _count(ref: Sequence, hyp: Sequence) -> tuple[int, int, int, int]:
    """``(H, S, D, I)`` for one aligned pair of token sequences."""
    if not ref or not hyp:
        return 0, 0, len(ref), len(hyp)
    subs = dels = 0
    ops = Levenshtein.editops(ref, hyp)
    for tag, _, _ in ops.as_list():
        if tag == "replace":
            subs += 1
        elif tag == "delete":
            dels += 1
    ins = len(ops) - subs - dels
    return len(ref) - subs - dels, subs, dels, ins


def rates_from_counts(
    hits: np.ndarray, subs: np.ndarray, dels: np.ndarray, ins: np.ndarray
) -> dict[str, np.ndarray]:
    """Element-wise ``{"wer", "mer", "wil"}`` from count arrays (jiwer's empty-reference rules)."""
    hits, subs, dels, ins = (np.asarray(a, dtype=float) for a in (hits, subs, dels, ins))
    ref_len = hits + subs + dels
    hyp_len = hits + subs + ins
    errors = subs + dels + ins
    with np.errstate(divide="ignore", invalid="ignore"):
        wer = np.where(ref_len > 0, errors / ref_len, ins)
        mer = np.where(ref_len > 0, errors / (ref_len + ins), (hyp_len > 0).astype(float))
        wip = np.where((ref_len > 0) & (hyp_len > 0), (hits / ref_len) * (hits / hyp_len), 0.0)
        wip = np.where((ref_len == 0) & (hyp_len == 0), 1.0, wip)
    return {"wer": wer, "mer": mer, "wil": 1.0 - wip}


def corpus_rates(counts: dict[str, np.ndarray], idx: np.ndarray | None = None) -> dict[str, float]:
    """Micro-averaged ``{"wer", "mer", "wil"}`` over (a resample ``idx`` of) per-example counts."""
    sums = [
        np.asarray(counts[k], dtype=float)[idx].sum()
        if idx is not None
        else np.asarray(counts[k], dtype=float).sum()
        for k in COUNT_KEYS
    ]
    rates = rates_from_counts(*(np.array([s]) for s in sums))
    return {k: float(v[0]) for k, v in rates.items()}


def _prepare(predictions, references, normalizer: str):
    if len(predictions) != len(references):
        raise MmbenchError(
            f"wer/cer: {len(predictions)} predictions but {len(references)} references"
        )
    norm = get_normalizer(normalizer)
    if norm.name != "none":
        predictions = [norm(p) for p in predictions]
        references = [norm(r) for r in references]
    return predictions, references, norm.tag


def _counts(pairs) -> dict[str, np.ndarray]:
    rows = np.array([_count(r, h) for r, h in pairs], dtype=np.int64).reshape(-1, 4)
    return {k: rows[:, i] for i, k in enumerate(COUNT_KEYS)}


def _ratio(name: str, unit: str) -> ScoreInfo:
    """Corpus rate = Σ (S + D + I) / Σ (H + S + D) over utterances (jiwer's micro average)."""
    errors = tuple(f"{unit}_{k}" for k in ("substitutions", "deletions", "insertions"))
    words = tuple(f"{unit}_{k}" for k in ("hits", "substitutions", "deletions"))
    return ScoreInfo(
        name, higher_is_better=False, aggregation="ratio", numerator=errors, denominator=words
    )


@METRICS.register("wer")
@declares(
    _ratio("wer", "word"),
    ScoreInfo("mer", higher_is_better=False, aggregation="corpus"),
    ScoreInfo("wil", higher_is_better=False, aggregation="corpus"),
)
def wer(
    predictions: Sequence[str], references: Sequence[str], *, normalizer: str = "none"
) -> MetricResult:
    """Word error rate (plus MER and WIL), as fractions (1.0 = 100 %), jiwer's micro average.

    Returns ``scores`` ``wer``/``mer``/``wil``; ``per_example`` (N,) arrays ``wer``, ``mer``,
    ``wil`` and the integer counts ``word_hits``, ``word_substitutions``, ``word_deletions``,
    ``word_insertions`` (from which any resample's corpus score can be recomputed).
    """
    predictions, references, tag = _prepare(predictions, references, normalizer)
    ids: dict[str, int] = {}  # words → ints: rapidfuzz compares ints fastest
    pairs = (
        ([ids.setdefault(w, len(ids)) for w in _words(r)],
         [ids.setdefault(w, len(ids)) for w in _words(h)])
        for r, h in zip(references, predictions)
    )  # fmt: skip
    counts = _counts(pairs)
    per_utt = rates_from_counts(*(counts[k] for k in COUNT_KEYS))
    return MetricResult(
        scores=corpus_rates(counts),
        per_example={**per_utt, **{f"word_{k}": v for k, v in counts.items()}},
        fingerprint=Fingerprint("wer", VERSION, REFERENCE, normalizer=tag, tokenizer="jiwer_words"),
    )


@METRICS.register("cer")
@declares(_ratio("cer", "char"))
def cer(
    predictions: Sequence[str], references: Sequence[str], *, normalizer: str = "none"
) -> MetricResult:
    """Character error rate as a fraction, jiwer's micro average over code points.

    Returns ``scores["cer"]``; ``per_example`` (N,) arrays ``cer`` and the counts ``char_hits``,
    ``char_substitutions``, ``char_deletions``, ``char_insertions``.
    """
    predictions, references, tag = _prepare(predictions, references, normalizer)
    counts = _counts((r.strip(), h.strip()) for r, h in zip(references, predictions))
    per_utt = rates_from_counts(*(counts[k] for k in COUNT_KEYS))["wer"]
    return MetricResult(
        scores={"cer": corpus_rates(counts)["wer"]},
        per_example={"cer": per_utt, **{f"char_{k}": v for k, v in counts.items()}},
        fingerprint=Fingerprint("cer", VERSION, REFERENCE, normalizer=tag, tokenizer="jiwer_chars"),
    )


def counts_of(result: MetricResult) -> dict[str, np.ndarray]:
    """Per-example ``hits/substitutions/deletions/insertions`` of a ``wer`` or ``cer`` result."""
    prefix = "word_" if result.fingerprint.metric == "wer" else "char_"
    return {k: result.per_example[prefix + k] for k in COUNT_KEYS}
