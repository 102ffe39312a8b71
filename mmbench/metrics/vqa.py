"""VQA accuracy, exactly as the official GT-Vision-Lab/VQA ``vqaEval.py`` computes it.

For each question with answers ``g_1..g_n`` (n = 10 in VQA v2) and prediction ``p``:

1. clean-up of every string (tabs/newlines → space, strip);
2. if the cleaned answers are not all identical, every answer and the prediction are normalised
   (:mod:`mmbench.metrics.vqa_normalize`); if they are all identical, the comparison is exact;
3. leave-one-out by index: ``acc_i = min(1, #{j != i : g_j == p} / 3)``; the question accuracy
   is the mean over i (0, 0.3, 0.6, 0.9, 1.0 for 0..4+ matches when n = 10).

Reported as in the official code: per question ``round(100·acc, 2)``; overall and per answer /
question type ``round(100·Σacc / N, 2)``. The float sums run in the official order, so even the
last-digit float noise agrees. The speed comes from caching the normalised strings and the
per-question value for each match pattern, instead of the official 10×9 dict comparisons.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mmbench.errors import MmbenchError
from mmbench.metrics.base import Fingerprint, MetricResult
from mmbench.metrics.info import ScoreInfo, declares
from mmbench.metrics.vqa_normalize import CLEANED, NORMALIZED, bound_caches
from mmbench.registry import METRICS

VERSION = "1"
FINGERPRINT = Fingerprint(
    metric="vqa_acc",
    version=VERSION,
    reference="GT-Vision-Lab/VQA vqaEval.py (master a013f00)",
    normalizer="vqa_official",
    tokenizer="none",
)


def _pattern_accuracy(matches: tuple[bool, ...]) -> float:
    """Mean leave-one-out accuracy for one match pattern, summed in annotator order."""
    m = sum(matches)
    per_annotator = [min(1, float(m - hit) / 3) for hit in matches]
    return float(sum(per_annotator)) / len(per_annotator)


def question_accuracies(
    predictions: Sequence[str], references: Sequence[Sequence[str]]
) -> list[float]:
    """Unrounded accuracy in [0, 1] of each question, length N."""
    if len(predictions) != len(references):
        raise MmbenchError(
            f"vqa_accuracy: {len(predictions)} predictions but {len(references)} reference lists"
        )
    bound_caches()
    pattern_cache: dict[tuple[bool, ...], float] = {}
    accs: list[float] = []
    append = accs.append
    cleaned, normalized = CLEANED.__getitem__, NORMALIZED.__getitem__
    for pred, answers in zip(predictions, references):
        gts = list(map(cleaned, answers))
        if not gts:
            i = next(k for k, a in enumerate(references) if not len(a))
            raise MmbenchError(f"vqa_accuracy: question {i} has no reference answers")
        target = cleaned(pred)
        if gts.count(gts[0]) != len(gts):
            # The gate is open: normalise both sides. Identical answers stay exact.
            gts = list(map(normalized, gts))
            target = normalized(target)
        elif target != gts[0]:
            append(0.0)
            continue
        if target not in gts:  # no annotator agrees: every leave-one-out accuracy is 0
            append(0.0)
            continue
        matches = tuple(map(target.__eq__, gts))
        acc = pattern_cache.get(matches)
        if acc is None:
            acc = pattern_cache[matches] = _pattern_accuracy(matches)
        append(acc)
    return accs


def _percent(values: list[float]) -> float:
    """The official aggregate: ``round(100 * Σ / N, 2)``."""
    return round(100 * float(sum(values)) / len(values), 2)


def _grouped(accs: list[float], groups: Sequence[str] | None, what: str) -> dict[str, float]:
    if groups is None:
        return {}
    if len(groups) != len(accs):
        raise MmbenchError(f"vqa_accuracy: {len(groups)} {what} for {len(accs)} questions")
    buckets: dict[str, list[float]] = {}
    for group, acc in zip(groups, accs):
        buckets.setdefault(str(group), []).append(acc)
    return {group: _percent(values) for group, values in buckets.items()}


@METRICS.register("vqa_acc")
@declares(ScoreInfo("vqa_acc", rounded=0.01))  # per question and overall, as official
def vqa_accuracy(
    predictions: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    answer_types: Sequence[str] | None = None,
    question_types: Sequence[str] | None = None,
) -> MetricResult:
    """Official VQA accuracy in percent.

    Args:
        predictions: N predicted answers.
        references: N lists of ground-truth answers (10 per question in VQA v2), in annotator
            order (leave-one-out works by index).
        answer_types / question_types: optional N group labels for the breakdown.

    Returns:
        ``scores["vqa_acc"]`` overall percent rounded to 2 decimals; ``per_example["vqa_acc"]``
        (N,) per-question percent rounded to 2 decimals (official ``evalQA``);
        ``breakdown["answer_type"]`` / ``breakdown["question_type"]`` percent per group.
    """
    accs = question_accuracies(predictions, references)
    overall = _percent(accs) if accs else 0.0
    breakdown = {}
    by_answer = _grouped(accs, answer_types, "answer_types")
    if by_answer:
        breakdown["answer_type"] = by_answer
    by_question = _grouped(accs, question_types, "question_types")
    if by_question:
        breakdown["question_type"] = by_question
    rounded = {a: round(100 * a, 2) for a in set(accs)}  # few distinct values
    per_question = np.fromiter(map(rounded.__getitem__, accs), np.float64, len(accs))
    return MetricResult(
        scores={"vqa_acc": overall},
        per_example={"vqa_acc": per_question},
        fingerprint=FINGERPRINT,
        breakdown=breakdown,
    )
