"""Confidence intervals and tests across seeds *and* test examples (hierarchical bootstrap).

A configuration's score varies with its training seed and with the test examples drawn. Given
the per-example scores of each run (one row per seed, columns aligned on the same test example
ids), each bootstrap replicate

1. draws N test examples with replacement, **the same draw for every configuration** (paired
   over examples, since all were scored on the same test set), and
2. draws each configuration's seeds with replacement (seeds are not paired across
   configurations),

and takes each configuration's mean over the drawn seeds of the mean over the drawn examples.
Intervals are the 2.5 and 97.5 percentiles of those means. The difference between each
configuration and the reference (the best one, or one the user names) gets a two-sided
bootstrap p-value, ``(1 + #{d ≤ 0}) / (B + 1)`` doubled for the smaller tail. The p-values are
then Holm-corrected over the comparisons with the reference.

The corpus score must be computable from per-example numbers: a mean of per-example scores
(:data:`MEAN_METRICS`: VQA accuracy, CIDEr-D, ROUGE), or a ratio of per-example sums
(:data:`RATIO_METRICS`: corpus WER = Σ errors / Σ reference words, CER alike), in which case
each replicate recomputes the ratio on the drawn examples. :func:`matches_corpus` checks this
run by run. Corpus BLEU and METEOR are neither, and the report leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ALPHA = 0.05
N_RESAMPLES = 2000
# corpus score = mean of the per-example scores (ROUGE-L of coco-caption too: its `rougeL`)
MEAN_METRICS = frozenset({"vqa_acc", "cider", "rouge1", "rouge2", "rougeL", "rougeLsum"})
# metric → (per-example count columns summed in the numerator, … in the denominator)
RATIO_METRICS = {
    "wer": (
        ("word_substitutions", "word_deletions", "word_insertions"),
        ("word_hits", "word_substitutions", "word_deletions"),
    ),
    "cer": (
        ("char_substitutions", "char_deletions", "char_insertions"),
        ("char_hits", "char_substitutions", "char_deletions"),
    ),
}


@dataclass
class Comparison:
    """Bootstrap results for K configurations (in the order they were given).

    Attributes:
        mean: ``(K,)`` mean over seeds of the mean over examples.
        ci_low, ci_high: ``(K,)`` percentile 95 % interval.
        p: ``(K,)`` Holm-corrected two-sided p-value of the difference from the reference
            configuration (NaN for the reference itself).
        reference: index of the configuration the others are compared with.
        best: index of the best configuration (the default reference).
        n_examples: test examples shared by all configurations.
        n_resamples: bootstrap replicates.
    """

    mean: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p: np.ndarray
    reference: int
    best: int
    n_examples: int
    n_resamples: int

    def different(self, alpha: float = ALPHA) -> np.ndarray:
        """``(K,)`` bool: significantly different from the reference at ``alpha``."""
        return np.nan_to_num(self.p, nan=1.0) < alpha


def matches_corpus(
    per_example: np.ndarray,
    corpus: float,
    rounded: float = 0.0,
    denominator: np.ndarray | None = None,
) -> bool:
    """Whether a corpus score is the mean of the per-example scores (or, with a
    ``denominator``, the ratio of their sums), up to rounding.

    ``rounded``: the step both were rounded to (VQA: 0.01, so they may differ by 0.01).
    """
    if not len(per_example) or not np.isfinite(corpus):
        return False
    if denominator is None:
        value = float(np.mean(per_example))
    elif float(np.sum(denominator)) > 0:
        value = float(np.sum(per_example)) / float(np.sum(denominator))
    else:
        return False
    tolerance = 1e-9 * max(1.0, abs(corpus)) + 1.01 * rounded
    return abs(value - corpus) <= tolerance


def holm(p: np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (NaN entries are left out and stay NaN)."""
    out = np.full(len(p), np.nan)
    idx = np.flatnonzero(~np.isnan(p))
    order = idx[np.argsort(p[idx], kind="stable")]
    m, running = len(order), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def compare(
    scores: list[np.ndarray],
    higher_is_better: bool = True,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    reference: int | None = None,
    denominators: list[np.ndarray] | None = None,
) -> Comparison:
    """Bootstrap ``K`` configurations; ``scores[k]`` is ``(seeds_k, N)``, columns aligned.

    ``reference``: the index the others are tested against (default: the best mean).
    ``denominators``: for ratio metrics, ``(seeds_k, N)`` per-example denominators; a run's
    score is then ``Σ scores / Σ denominators`` over the (drawn) examples.

    Raises:
        ValueError: no configuration, a configuration without runs, or columns that differ.
    """
    if not scores:
        raise ValueError("compare: no configurations")
    n = scores[0].shape[1]
    if any(s.ndim != 2 or s.shape[0] == 0 or s.shape[1] != n for s in scores):
        raise ValueError("compare: every configuration needs (seeds, N) scores on the same N")
    rng = np.random.default_rng(seed)
    xs = [np.asarray(x, np.float64) for x in scores]
    dens = (
        [None] * len(xs)
        if denominators is None
        else [np.asarray(d, np.float64) for d in denominators]
    )
    mean = np.array(
        [
            (x.mean(axis=1) if d is None else x.sum(axis=1) / d.sum(axis=1)).mean()
            for x, d in zip(xs, dens)
        ]
    )
    boot = np.empty((len(xs), n_resamples))
    block = max(1, min(n_resamples, 4_000_000 // max(n, 1)))  # ≤ 32 MB of example weights
    for start in range(0, n_resamples, block):
        b = min(block, n_resamples - start)
        # weights[r, i]: how often example i is in replicate r (the same for every config)
        weights = np.zeros((b, n))
        np.add.at(weights, (np.arange(b)[:, None], rng.integers(0, n, size=(b, n))), 1.0)
        for k, (x, d) in enumerate(zip(xs, dens)):
            # (seeds, b): each seed's score on each example draw
            if d is None:
                per_seed = x @ weights.T / n
            else:
                below = d @ weights.T
                per_seed = np.divide(
                    x @ weights.T, below, out=np.full(below.shape, np.nan), where=below > 0
                )
            seeds = rng.integers(0, x.shape[0], size=(b, x.shape[0]))
            boot[k, start : start + b] = per_seed[seeds, np.arange(b)[:, None]].mean(axis=1)
    best = int(np.argmax(mean) if higher_is_better else np.argmin(mean))
    ref = best if reference is None else reference
    raw = np.full(len(scores), np.nan)
    for k in range(len(scores)):
        if k != ref:
            d = boot[ref] - boot[k]
            tail = min(np.sum(d <= 0), np.sum(d >= 0))
            raw[k] = min(1.0, 2 * (tail + 1) / (n_resamples + 1))
    lo, hi = np.nanpercentile(boot, [2.5, 97.5], axis=1)
    return Comparison(mean, lo, hi, holm(raw), ref, best, n, n_resamples)
