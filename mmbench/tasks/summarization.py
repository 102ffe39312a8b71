"""Multimodal summarization: a document (+ an optional image) → a summary, scored with ROUGE.

Examples hold ``document`` (text), ``summaries`` (≥ 1 references) and optionally ``image``
(H, W, C uint8). Inputs: ``document`` (text, cut to ``max_document_len`` words) and ``image``
(only for data sets that have images). Metric: ``rouge`` (rouge-score 0.1.2 exact, best
reference per type): rouge1, rouge2, rougeL, rougeLsum — for rougeLsum, sentences of predictions
and references are put on separate lines (split after ``.``, ``!``, ``?``). Primary: rougeL.
"""

from __future__ import annotations

import re
from typing import Any

import torch

from mmbench.data.text_vocab import Vocab
from mmbench.encoders.base import ModalityInput
from mmbench.errors import MmbenchError
from mmbench.registry import TASKS
from mmbench.tasks.generative import GenerativeTask
from mmbench.tasks.images import MAX_FIT_IMAGES, ImageNorm, image_shape, image_tensor

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentence_lines(text: str) -> str:
    """One sentence per line (what rougeLsum splits on)."""
    return "\n".join(s for s in _SENTENCE_END.split(text.strip()) if s)


@TASKS.register("summarization")
class SummarizationTask(GenerativeTask):
    """Summarization scored with ROUGE-1/2/L/Lsum."""

    name = "summarization"
    inputs = {"document": "text", "image": "image"}
    input_fields = {"document": "document", "image": "image"}
    metrics = ("rouge",)
    default_metrics = ("rouge",)
    primary_metric = "rougeL"
    group_keys = ("id",)  # one document per example
    min_count = 2
    default_max_len = 40
    max_document_len = 300

    def references_of(self, example: dict) -> list[str]:
        return list(example["summaries"])

    def prepare(self, splits) -> None:
        super().prepare(splits)
        self.has_image = all("image" in e for s in ("train", "val", "test") for e in splits.get(s))
        if "image" in self.spec.model.encoders and not self.has_image:
            raise MmbenchError(
                f"model.encoders.image: dataset '{self.spec.dataset.name}' has no image for "
                "every example; leave the input out (model.encoders.image: null)"
            )
        self.image_shape = image_shape(splits.train) if self.has_image else (3, 1, 1)
        self.image_norm = (
            ImageNorm.fit(image_tensor(splits.train[:MAX_FIT_IMAGES])) if self.has_image else None
        )
        self.doc_vocab = Vocab.build((e["document"] for e in splits.train), min_count=1)

    def input_specs(self) -> dict[str, ModalityInput]:
        specs = {
            "document": ModalityInput(
                "text",
                shape=(self.max_document_len,),
                vocab_size=len(self.doc_vocab),
                pad_id=self.doc_vocab.pad_id,
                extra={"vocab": self.doc_vocab.words},
            )
        }
        if self.has_image:
            specs["image"] = ModalityInput("image", shape=self.image_shape)
        return specs

    def input_tensors(self, examples: list[dict]) -> dict[str, torch.Tensor]:
        docs = [e["document"] for e in examples]
        out = {"document": self.doc_vocab.encode_batch(docs, self.max_document_len)}
        if self.has_image:
            out["image"] = image_tensor(examples)
        return out

    def model_inputs(self, batch: dict[str, torch.Tensor]) -> dict[str, tuple]:
        doc = batch["document"]
        inputs = {"document": (doc, doc != self.doc_vocab.pad_id)}
        if "image" in batch:
            inputs["image"] = (self.image_norm(batch["image"]), None)
        return inputs

    def metric_references(self, split: str) -> list[Any]:
        return [[sentence_lines(r) for r in self.references_of(e)] for e in self.examples(split)]

    def metric_predictions(self, predictions: list[Any]) -> list[Any]:
        return [sentence_lines(p) for p in predictions]

    def prediction_records(self, predictions: list[Any], split: str) -> list[dict]:
        return [
            {"id": e.get("id", i), "summary": p, "references": self.references_of(e)}
            for i, (e, p) in enumerate(zip(self.examples(split), predictions))
        ]

    def state(self) -> dict[str, Any]:
        state = {**super().state(), "document_vocab": self.doc_vocab.words}
        if self.image_norm is not None:
            state["image_norm"] = self.image_norm.state()
        return state

    def restore(self, state: dict[str, Any]) -> None:
        super().restore(state)
        self.doc_vocab = Vocab(list(state["document_vocab"]))
        if "image_norm" in state and self.image_norm is not None:
            self.image_norm = ImageNorm(**state["image_norm"])
