"""Evaluate external prediction files with the official metrics (library of ``mmbench eval``).

Each ``evaluate_<task>`` loads and checks the files (:mod:`mmbench.evaluation.formats`), runs the
functional metrics and, with ``ci=True``, adds seeded percentile-bootstrap intervals (1000
resamples over examples; corpus metrics recompute their corpus statistics on each resample).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mmbench.errors import MmbenchError
from mmbench.evaluation.formats import (
    Pairs,
    load_asr,
    load_coco_captions,
    load_summarization,
    load_vqa,
)
from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.bootstrap import bootstrap_ci, mean_stat

log = logging.getLogger(__name__)

N_RESAMPLES = 1000
LEVEL = 0.95


@dataclass
class EvalReport:
    """The outcome of one evaluation: merged scores of all metrics of the task."""

    task: str
    pairs: Pairs
    results: list[MetricResult]
    inputs: dict[str, str]  # role → file path
    options: dict[str, Any] = field(default_factory=dict)
    ci: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def scores(self) -> dict[str, float]:
        return {k: v for r in self.results for k, v in r.scores.items()}

    @property
    def per_example(self) -> dict[str, np.ndarray]:
        return {k: v for r in self.results for k, v in r.per_example.items()}

    @property
    def breakdown(self) -> dict[str, dict[str, float]]:
        return {k: v for r in self.results for k, v in r.breakdown.items()}

    @property
    def fingerprints(self) -> list[Fingerprint]:
        return [r.fingerprint for r in self.results]

    @property
    def n(self) -> int:
        return len(self.pairs.ids)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (no per-example values)."""
        return {
            "task": self.task,
            "n": self.n,
            "scores": self.scores,
            "ci": {k: [lo, hi] for k, (lo, hi) in self.ci.items()},
            "ci_level": LEVEL if self.ci else None,
            "breakdown": self.breakdown,
            "fingerprints": {fp.metric: fp.as_tag() for fp in self.fingerprints},
            "inputs": self.inputs,
            "options": self.options,
        }


def _with_ci(
    report: EvalReport, ci: bool, seed: int, stat: Callable[[np.ndarray], dict[str, float]]
) -> EvalReport:
    if ci:
        report.ci = bootstrap_ci(stat, report.n, n_resamples=N_RESAMPLES, level=LEVEL, seed=seed)
    return report


def _paths(**paths: str | Path | None) -> dict[str, str]:
    return {k: str(v) for k, v in paths.items() if v is not None}


def _labels(values: list[str]) -> list[str] | None:
    """Group labels, or None when the annotation file has none (no breakdown then)."""
    return values if any(values) else None


def evaluate_vqa(
    predictions: str | Path,
    annotations: str | Path,
    questions: str | Path | None = None,
    *,
    ci: bool = False,
    seed: int = 0,
) -> EvalReport:
    """Official VQA accuracy of a results file against VQA v2 annotations (and questions)."""
    from mmbench.metrics.vqa import question_accuracies, vqa_accuracy

    pairs = load_vqa(predictions, annotations, questions)
    result = vqa_accuracy(
        pairs.predictions,
        pairs.references,
        answer_types=_labels(pairs.extra["answer_type"]),
        question_types=_labels(pairs.extra["question_type"]),
    )
    report = EvalReport(
        "vqa",
        pairs,
        [result],
        _paths(predictions=predictions, annotations=annotations, questions=questions),
    )
    raw = 100 * np.asarray(question_accuracies(pairs.predictions, pairs.references))
    return _with_ci(report, ci, seed, lambda idx: {"vqa_acc": float(raw[idx].mean())})


def evaluate_asr(
    predictions: str | Path,
    references: str | Path,
    *,
    normalizer: str = "none",
    ci: bool = False,
    seed: int = 0,
) -> EvalReport:
    """WER (+MER, WIL) and CER, jiwer 4.0.0 semantics, optional named normaliser."""
    from mmbench.metrics.wer import cer, corpus_rates, counts_of, wer

    pairs = load_asr(predictions, references)
    w = wer(pairs.predictions, pairs.references, normalizer=normalizer)
    c = cer(pairs.predictions, pairs.references, normalizer=normalizer)
    report = EvalReport(
        "asr",
        pairs,
        [w, c],
        _paths(predictions=predictions, references=references),
        {"normalizer": normalizer},
    )
    wc, cc = counts_of(w), counts_of(c)

    def stat(idx: np.ndarray) -> dict[str, float]:
        return {**corpus_rates(wc, idx), "cer": corpus_rates(cc, idx)["wer"]}

    return _with_ci(report, ci, seed, stat)


def evaluate_captioning(
    predictions: str | Path,
    references: str | Path,
    *,
    tokenizer: str = "python",
    allow_subset: bool = False,
    meteor: bool = False,
    ci: bool = False,
    seed: int = 0,
) -> EvalReport:
    """CIDEr-D and BLEU-1..4 (and METEOR) of a COCO results file against COCO annotations.

    ``meteor=True`` adds pycocoevalcap's METEOR 1.5, which runs a Java jar: without ``java`` on
    PATH this is an ``MmbenchError`` before any file is read. METEOR gets no bootstrap interval
    (its corpus score aggregates the jar's statistics, so each resample would be a Java run).
    """
    from mmbench.metrics.bleu import bleu
    from mmbench.metrics.cider import cider_d

    if meteor:
        from mmbench.metrics.meteor import java_available
        from mmbench.metrics.meteor import meteor as meteor_metric

        if not java_available():
            raise MmbenchError(
                "METEOR needs a Java runtime, and 'java' is not on PATH (pycocoevalcap runs "
                "METEOR 1.5 as a jar); install Java 8+ (e.g. apt-get install "
                "default-jre-headless) or score without METEOR"
            )
    pairs = load_coco_captions(predictions, references, allow_subset=allow_subset)
    preds, refs = pairs.predictions, pairs.references
    results = [cider_d(preds, refs, tokenizer=tokenizer), bleu(preds, refs, tokenizer=tokenizer)]
    if meteor:
        results.append(meteor_metric(preds, refs, tokenizer=tokenizer))
    options = {"tokenizer": tokenizer, "allow_subset": allow_subset, "meteor": meteor}
    report = EvalReport(
        "captioning",
        pairs,
        results,
        _paths(predictions=predictions, references=references),
        options,
    )
    if ci and tokenizer != "python":
        log.warning(
            "captioning CI: resamples are scored with the %s tokenizer, 2x%d calls",
            tokenizer,
            N_RESAMPLES,
        )
    if ci and meteor:
        log.warning("captioning CI: no bootstrap interval for METEOR (one Java run per resample)")

    def stat(idx: np.ndarray) -> dict[str, float]:
        p, r = [preds[i] for i in idx], [refs[i] for i in idx]
        out = dict(cider_d(p, r, tokenizer=tokenizer).scores)
        out.update(bleu(p, r, tokenizer=tokenizer).scores)
        return out

    return _with_ci(report, ci, seed, stat)


def evaluate_summarization(
    predictions: str | Path,
    references: str | Path,
    *,
    use_stemmer: bool = False,
    ci: bool = False,
    seed: int = 0,
) -> EvalReport:
    """ROUGE-1/2/L/Lsum (rouge-score 0.1.2) of jsonl summaries; CIs on the F scores."""
    from mmbench.metrics.rouge import rouge

    pairs = load_summarization(predictions, references)
    result = rouge(pairs.predictions, pairs.references, use_stemmer=use_stemmer)
    report = EvalReport(
        "summarization",
        pairs,
        [result],
        _paths(predictions=predictions, references=references),
        {"use_stemmer": use_stemmer},
    )
    main = {k: v for k, v in result.per_example.items() if not k.endswith(("_p", "_r"))}
    return _with_ci(report, ci, seed, mean_stat(main))
