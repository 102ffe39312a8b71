"""Visual question answering: image + question → one answer from the training answer vocabulary.

Targets are VQA soft scores: for each candidate answer, the official accuracy it would get on
that question (``min(1, matches/3)`` averaged over the leave-one-out subsets, computed on the
official normalised forms). Loss: soft-target cross-entropy, the scores normalised to a
distribution over answers (as MMF's ``softmax_kldiv``). We measured the per-answer binary
cross-entropy of Teney et al. (2018) on built-in counting questions: it sat on the answer prior
for 5 epochs where soft cross-entropy left it after 2 (same CNN, same data). Questions whose
answers are all outside the training vocabulary carry no loss. Metric: official VQA accuracy.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from mmbench.data.text_vocab import Vocab
from mmbench.encoders.base import ModalityInput
from mmbench.metrics.vqa_normalize import clean_answer, normalize_answer
from mmbench.registry import TASKS
from mmbench.tasks.base import Task
from mmbench.tasks.images import ImageNorm, image_shape, image_tensor

_LOO = {m: float(np.mean([min(1.0, (m - (i < m)) / 3.0) for i in range(10)])) for m in range(11)}


def answer_scores(answers: list[str]) -> dict[str, float]:
    """Official accuracy of each distinct (normalised) answer of one question."""
    cleaned = [clean_answer(a) for a in answers]
    forms = cleaned if len(set(cleaned)) == 1 else [normalize_answer(a) for a in answers]
    n = len(forms)
    if n == 10:
        return {a: _LOO[m] for a, m in Counter(forms).items()}
    return {a: min(1.0, m / 3.0) for a, m in Counter(forms).items()}


@TASKS.register("vqa")
class VqaTask(Task):
    """Visual question answering scored with the official VQA accuracy."""

    name = "vqa"
    inputs = {"image": "image", "text": "text"}
    input_fields = {"image": "image", "text": "question"}
    heads = ("classifier",)
    metrics = ("vqa_acc",)
    default_metrics = ("vqa_acc",)
    primary_metric = "vqa_acc"
    id_key = "question_id"
    # a dataset may name the cluster itself ("cluster", e.g. SHAPES-NMN's question strings);
    # otherwise the questions about one image form one
    group_keys = ("cluster", "image_id")

    def prepare(self, splits) -> None:
        super().prepare(splits)
        train = splits.train
        self.vocab = Vocab.build(ex["question"] for ex in train)
        # every answer any training question gives credit to
        self.answers = sorted({a for ex in train for a in answer_scores(ex["answers"])})
        self.answer_index = {a: i for i, a in enumerate(self.answers)}
        self._cache: dict[str, dict[str, torch.Tensor]] = {}
        self.image_shape = image_shape(train)  # (C, H, W)
        self.image_norm = ImageNorm.fit(self.tensors("train")["image"])  # the cached stack

    def input_specs(self) -> dict[str, ModalityInput]:
        return {
            "image": ModalityInput(
                "image", shape=self.image_shape, extra={"image_norm": self.image_norm.state()}
            ),
            "text": ModalityInput(
                "text",
                shape=(0,),
                vocab_size=len(self.vocab),
                pad_id=self.vocab.pad_id,
                extra={"vocab": self.vocab.words},
            ),
        }

    def num_outputs(self) -> int:
        return len(self.answers)

    def tensors(self, split: str) -> dict[str, torch.Tensor]:
        if split in self._cache:
            return self._cache[split]
        exs = self.examples(split)
        target = torch.zeros(len(exs), len(self.answers))
        for i, ex in enumerate(exs):
            for ans, score in answer_scores(ex["answers"]).items():
                j = self.answer_index.get(ans)
                if j is not None:
                    target[i, j] = score
        out = {
            **self.input_tensors(exs),
            "target": target,  # (N, A) soft scores
            "index": torch.arange(len(exs)),
        }
        self._cache[split] = out
        return out

    def input_tensors(self, examples: list[dict]) -> dict[str, torch.Tensor]:
        return {
            "image": image_tensor(examples),  # (N, C, H, W) uint8
            "text": self.vocab.encode_batch([e["question"] for e in examples]),  # (N, L)
        }

    def model_inputs(self, batch: dict[str, torch.Tensor]) -> dict[str, tuple]:
        text = batch["text"]
        return {
            "image": (self.image_norm(batch["image"]), None),
            "text": (text, text != self.vocab.pad_id),
        }

    def loss(self, outputs: torch.Tensor, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        target = batch["target"]  # (B, A) official soft scores
        total = target.sum(dim=1, keepdim=True)
        dist = target / total.clamp(min=1e-12)
        per_row = -(dist * F.log_softmax(outputs, dim=-1)).sum(dim=1)  # (B,)
        return per_row.mean()

    def predict(self, outputs, batch, model=None, drop=frozenset()) -> list[str]:
        return [self.answers[i] for i in outputs.argmax(dim=-1).tolist()]

    def restore(self, state: dict[str, Any]) -> None:
        self.vocab = Vocab(list(state["question_vocab"]))
        self.answers = list(state["answers"])
        self.answer_index = {a: i for i, a in enumerate(self.answers)}
        self.image_norm = ImageNorm(**state["image_norm"])
        self._cache = {}

    def metric_references(self, split: str) -> list[Any]:
        return [e["answers"] for e in self.examples(split)]

    def metric_kwargs(self, metric: str, split: str) -> dict[str, Any]:
        kwargs = super().metric_kwargs(metric, split)
        if metric == "vqa_acc":  # per answer type and question type, as the official script
            exs = self.examples(split)
            kwargs["answer_types"] = [e.get("answer_type", "other") for e in exs]
            kwargs["question_types"] = [e.get("question_type", "") for e in exs]
        return kwargs

    def prediction_records(self, predictions: list[Any], split: str) -> list[dict]:
        return [
            {
                "question_id": e["question_id"],
                "question": e["question"],
                "answer": p,
                "answers": list(e["answers"]),
                "answer_type": e.get("answer_type"),
                "question_type": e.get("question_type"),
            }
            for e, p in zip(self.examples(split), predictions)
        ]

    def state(self) -> dict[str, Any]:
        return {
            "question_vocab": self.vocab.words,
            "answers": self.answers,
            "image_norm": self.image_norm.state(),
        }
