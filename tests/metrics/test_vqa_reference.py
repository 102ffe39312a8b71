"""VQA accuracy agrees with a literal transcription of the published rules on random answers."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from mmbench.metrics.vqa import question_accuracies, vqa_accuracy
from mmbench.metrics.vqa_normalize import normalize_answer


def _load_reference():
    path = Path(__file__).with_name("vqa_reference_impl.py")
    spec = importlib.util.spec_from_file_location("vqa_reference_impl", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ref = _load_reference()


def test_normalisation_matches_transcription():
    rng = random.Random(7)
    for _ in range(5000):
        text = ref.random_answer(rng)
        expected = ref.process_digit_article(ref.process_punctuation(ref.clean(text)))
        assert normalize_answer(text) == expected, repr(text)


@pytest.mark.parametrize("seed, n_answers", [(0, 10), (1, 10), (2, 3), (3, 1)])
def test_accuracy_matches_transcription(seed, n_answers):
    preds, refs, atypes, qtypes = ref.random_dataset(3000, seed=seed, n_answers=n_answers)
    expected = ref.evaluate(preds, refs, atypes, qtypes)
    ours = vqa_accuracy(preds, refs, answer_types=atypes, question_types=qtypes)
    # unrounded values agree to the last bit (same summation order)
    assert question_accuracies(preds, refs) == expected["raw"]
    assert list(ours.per_example["vqa_acc"]) == expected["per_question"]
    assert ours["vqa_acc"] == expected["overall"]
    assert ours.breakdown["answer_type"] == expected["per_answer_type"]
    assert ours.breakdown["question_type"] == expected["per_question_type"]
    # the generator must exercise every outcome, or the comparison proves little
    assert {0.0, 30.0, 60.0, 90.0, 100.0} <= set(expected["per_question"]) or n_answers != 10
    assert 0 < expected["overall"] < 100 or n_answers == 1  # one answer: nobody else matches
