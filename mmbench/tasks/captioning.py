"""Image captioning: image (+ optional object tags) → a caption, scored with CIDEr-D.

Inputs: ``image`` (required by the data) and ``tags`` (a second, text modality: a noisy list of
detected object words, from datasets that have it, e.g. ``shapes_captions``). Every reference
caption of a training image is a teacher-forcing target; decoding is the head's greedy or beam
search. Metrics (pycocoevalcap-exact, PTB tokenisation in Python): ``cider`` (CIDEr-D, primary,
on pycocoevalcap's scale), ``bleu`` (BLEU-1..4) and ``rouge`` (ROUGE-L F of rouge-score, best
reference); ``meteor`` (METEOR 1.5, pycocoevalcap's jar) only when ``eval.metrics`` lists it, as it
needs Java: a spec asking for it where ``java`` is not on PATH fails validation.
"""

from __future__ import annotations

from typing import Any

import torch

from mmbench.data.text_vocab import Vocab
from mmbench.encoders.base import ModalityInput
from mmbench.errors import MmbenchError
from mmbench.registry import TASKS
from mmbench.tasks.generative import GenerativeTask
from mmbench.tasks.images import MAX_FIT_IMAGES, ImageNorm, image_shape, image_tensor


@TASKS.register("captioning")
class CaptioningTask(GenerativeTask):
    """Captioning scored with CIDEr-D (plus BLEU and ROUGE-L)."""

    name = "captioning"
    inputs = {"image": "image", "tags": "text"}
    input_fields = {"image": "image", "tags": "tags"}
    metrics = ("cider", "bleu", "rouge", "meteor")
    default_metrics = ("cider", "bleu", "rouge")  # no METEOR by default: CI may lack Java
    primary_metric = "cider"
    id_key = "image_id"
    # coco-caption's scorers on the Python PTB tokenizer; ROUGE-L F against the best reference
    metric_options = {
        "cider": {"tokenizer": "python"},
        "bleu": {"tokenizer": "python"},
        "meteor": {"tokenizer": "python"},
        "rouge": {"rouge_types": ("rougeL",)},
    }
    group_keys = ("image_id",)
    default_max_len = 20

    @classmethod
    def spec_problems(cls, spec) -> list[str]:
        problems = super().spec_problems(spec)
        if "meteor" in spec.eval.metrics:
            from mmbench.metrics.meteor import java_available

            if not java_available():
                i = list(spec.eval.metrics).index("meteor")
                problems.append(
                    f"eval.metrics[{i}]: 'meteor' needs a Java runtime and 'java' is not on PATH "
                    "(pycocoevalcap runs METEOR 1.5 as a jar); install Java 8+ or drop 'meteor'"
                )
        return problems

    def references_of(self, example: dict) -> list[str]:
        return list(example["captions"])

    def prepare(self, splits) -> None:
        super().prepare(splits)
        self.image_shape = image_shape(splits.train)
        self.image_norm = ImageNorm.fit(image_tensor(splits.train[:MAX_FIT_IMAGES]))
        if "tags" in self.spec.model.encoders and not any("tags" in e for e in splits.train):
            raise MmbenchError(
                f"model.encoders.tags: dataset '{self.spec.dataset.name}' has no object tags; "
                "leave the input out (model.encoders.tags: null)"
            )
        self.tag_vocab = Vocab.build(e.get("tags", "") for e in splits.train)

    def input_specs(self) -> dict[str, ModalityInput]:
        return {
            "image": ModalityInput(
                "image", shape=self.image_shape, extra={"image_norm": self.image_norm.state()}
            ),
            "tags": ModalityInput(
                "text",
                shape=(0,),
                vocab_size=len(self.tag_vocab),
                pad_id=self.tag_vocab.pad_id,
                extra={"vocab": self.tag_vocab.words},
            ),
        }

    def input_tensors(self, examples: list[dict]) -> dict[str, torch.Tensor]:
        return {
            "image": image_tensor(examples),  # (N, C, H, W) uint8
            "tags": self.tag_vocab.encode_batch([e.get("tags", "") for e in examples]),  # (N, L)
        }

    def model_inputs(self, batch: dict[str, torch.Tensor]) -> dict[str, tuple]:
        tags = batch["tags"]
        return {
            "image": (self.image_norm(batch["image"]), None),
            "tags": (tags, tags != self.tag_vocab.pad_id),
        }

    def metric_references(self, split: str) -> list[Any]:
        return [self.references_of(e) for e in self.examples(split)]

    def prediction_records(self, predictions: list[Any], split: str) -> list[dict]:
        return [
            {
                "image_id": e["image_id"],
                "caption": p,
                "references": self.references_of(e),
                **({"heldout": e["heldout"]} if "heldout" in e else {}),
            }
            for e, p in zip(self.examples(split), predictions)
        ]

    def state(self) -> dict[str, Any]:
        return {
            **super().state(),
            "tags_vocab": self.tag_vocab.words,
            "image_norm": self.image_norm.state(),
        }

    def restore(self, state: dict[str, Any]) -> None:
        super().restore(state)
        self.tag_vocab = Vocab(list(state["tags_vocab"]))
        self.image_norm = ImageNorm(**state["image_norm"])
