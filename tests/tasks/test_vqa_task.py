"""VQA task: soft targets equal the official accuracy of each answer; the loss behaves."""

from __future__ import annotations

import random

import pytest
import torch

from mmbench.metrics.vqa import question_accuracies
from mmbench.tasks.vqa import answer_scores

VARIANTS = ["2", "two", "Two.", "3", "grey", "gray", "yes", "Yes", "no", "a red", "red", "n/a"]


@pytest.mark.parametrize("seed", range(40))
def test_target_score_is_the_official_accuracy_of_that_answer(seed):
    rng = random.Random(seed)
    pool = rng.sample(VARIANTS, rng.randint(1, 4))
    answers = [rng.choice(pool) for _ in range(10)]
    for candidate, score in answer_scores(answers).items():
        (official,) = question_accuracies([candidate], [answers])
        assert score == pytest.approx(official, abs=1e-9), (candidate, answers)


def test_identical_answers_are_not_normalised():
    assert answer_scores(["Yes"] * 10) == {"Yes": 1.0}


def test_loss_is_zero_for_a_confident_correct_prediction_and_ignores_unknown_rows():
    from mmbench.tasks.vqa import VqaTask

    task = VqaTask.__new__(VqaTask)
    target = torch.tensor([[1.0, 0.0], [0.0, 0.0]])  # second row: no answer in the vocabulary
    good = task.loss(torch.tensor([[50.0, -50.0], [3.0, 1.0]]), {"target": target})
    bad = task.loss(torch.tensor([[-50.0, 50.0], [3.0, 1.0]]), {"target": target})
    assert good.item() == pytest.approx(0.0, abs=1e-6)
    assert bad.item() > 10
