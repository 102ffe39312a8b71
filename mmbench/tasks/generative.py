"""What text-generating tasks share: target vocabulary, teacher forcing, decoding, state.

A generative task lists, per example, several reference texts (``references_of``). Training
uses one row per (example, reference) pair, so every reference is a target; val and test keep
one row per example (the first reference gives the loss) and are scored against all references.

The target vocabulary (:class:`~mmbench.data.seq_vocab.SeqVocab`) is built from the training
references (``min_count``) and saved in ``state()`` so a checkpoint decodes the same way later.
Targets are cut to the head's ``max_len`` (``model.head.kwargs.max_len``, ``<eos>`` included).
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch
import torch.nn.functional as F

from mmbench.data.seq_vocab import SeqVocab
from mmbench.errors import MmbenchError
from mmbench.tasks.base import Task


class GenerativeTask(Task):
    """Base of captioning and summarization: subclasses supply inputs and references."""

    heads = ("gru_decoder", "transformer_decoder")
    min_count: ClassVar[int] = 1  # target words seen fewer times in training become <unk>
    default_max_len: ClassVar[int] = 20

    # ---- what subclasses provide ---------------------------------------------------------
    def references_of(self, example: dict) -> list[str]:
        raise NotImplementedError

    def input_tensors(self, examples: list[dict]) -> dict[str, torch.Tensor]:
        """Encoder inputs of ``examples`` (first dim N)."""
        raise NotImplementedError

    # ---- data ----------------------------------------------------------------------------
    @property
    def max_len(self) -> int:
        return int(self.spec.model.head.kwargs.get("max_len", self.default_max_len))

    def prepare(self, splits) -> None:
        super().prepare(splits)
        for split in ("train", "val", "test"):
            if not splits.get(split):
                raise MmbenchError(f"task '{self.name}': the {split} split is empty")
        self.target_vocab = SeqVocab.build(
            (r for ex in splits.train for r in self.references_of(ex)), self.min_count
        )
        self._cache: dict[str, dict[str, torch.Tensor]] = {}

    def num_outputs(self) -> int:
        return len(self.target_vocab)

    def tensors(self, split: str) -> dict[str, torch.Tensor]:
        if split in self._cache:
            return self._cache[split]
        exs = self.examples(split)
        if split == "train":  # one row per (example, reference)
            rows = [i for i, ex in enumerate(exs) for _ in self.references_of(ex)]
            texts = [r for ex in exs for r in self.references_of(ex)]
        else:
            rows = list(range(len(exs)))
            texts = [self.references_of(ex)[0] for ex in exs]
        target_in, target_out = self.target_vocab.targets(texts, self.max_len)
        inputs = self.input_tensors(exs)
        index = torch.tensor(rows, dtype=torch.long)
        out = {k: v.index_select(0, index) for k, v in inputs.items()}
        # kept as int32 (one row per reference: 68 MiB as int64 for 250k COCO captions), made
        # long per batch where the head and the loss read them
        out.update(target_in=target_in.int(), target_out=target_out.int(), index=index)
        self._cache[split] = out
        return out

    # ---- learning and decoding -----------------------------------------------------------
    def forward(self, model, batch, drop=frozenset()) -> torch.Tensor:
        """Teacher forcing: logits (B, L, V) of every next word given the previous ones."""
        fused, mask = model.fuse(self.model_inputs(batch), drop)
        return model.head(fused, mask, batch["target_in"].long())

    def loss(self, outputs: torch.Tensor, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Mean token cross-entropy (nats), padding ignored."""
        return F.cross_entropy(
            outputs.transpose(1, 2).float(),
            batch["target_out"].long(),
            ignore_index=self.target_vocab.pad_id,
        )

    def predict(self, outputs, batch, model=None, drop=frozenset()) -> list[str]:
        if model is None:
            raise ValueError(f"task '{self.name}' decodes with the model; pass model=")
        fused, mask = model.fuse(self.model_inputs(batch), drop)
        v = self.target_vocab
        hyp = model.head.generate(fused, mask, bos=v.bos_id, eos=v.eos_id, pad=v.pad_id)
        return [v.decode(row) for row in hyp.tokens.tolist()]

    def state(self) -> dict[str, Any]:
        return {"target_vocab": self.target_vocab.words, "max_len": self.max_len}

    def restore(self, state: dict[str, Any]) -> None:
        self.target_vocab = SeqVocab(list(state["target_vocab"]))
        self._cache = {}
