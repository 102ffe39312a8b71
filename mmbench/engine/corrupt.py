"""Corrupted inputs for the engine: a whole evaluation split, or one training batch.

Both corrupt the raw examples (``mmbench.corruptions.apply``) and rebuild only the encoder
inputs with ``task.input_tensors``; targets, ids and order stay as they are, so a corrupted
split is scored against the same references as the clean one.

- Evaluation: the generator of test example ``i`` is seeded by ``(eval.corruption_seed,
  input, corruption, level, i)``, independent of the model and its training seed. An input
  read lazily from files is corrupted batch by batch (``corrupted_eval``), with the same
  result, so memory stays bounded; in-memory inputs are corrupted as a whole split.
- Training (``train.corruptions``): each batch draws, per input and corruption, whether it
  is corrupted (probability ``p``) and at which of the ``levels`` (uniformly), from a generator
  seeded by ``(train.seed, step, input, corruption)``; the torch generator that orders batches
  is not touched, so a run without corruptions trains exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from mmbench.corruptions.apply import corrupt_examples
from mmbench.corruptions.base import format_level, seed_of
from mmbench.data.lazy_column import all_refs
from mmbench.engine.feature_cache import without_cached
from mmbench.registry import CORRUPTIONS
from mmbench.spec.schema import CorruptionSpec, TrainSpec
from mmbench.tasks.base import Task


def _rows(data: dict[str, torch.Tensor]) -> list[int]:
    return data["index"].tolist()  # row → example (generative training repeats examples)


def _eval_rng(seed: int, inp: str, spec: CorruptionSpec, level: float):
    tag = format_level(level)
    return lambda i: np.random.default_rng(seed_of(seed, inp, spec.name, tag, i))


def corrupted_split(
    task: Task, split: str, inp: str, spec: CorruptionSpec, level: float, seed: int
) -> dict[str, torch.Tensor]:
    """``task.tensors(split)`` with input ``inp`` corrupted by ``spec`` at ``level``."""
    corruption = CORRUPTIONS.get(spec.name)(**spec.kwargs)
    # the corrupted input's cached clean features (if any) must not stand in for it
    data = without_cached(task.tensors(split), inp)
    examples = task.examples(split)
    corrupted = corrupt_examples(
        examples,
        task.input_fields[inp],
        corruption,
        level,
        _eval_rng(seed, inp, spec, level),
        task.image_layouts.get(inp, "HWC"),
    )
    data.update(task.input_tensors([corrupted[r] for r in _rows(data)]))
    return data


def corrupted_eval(
    task: Task, split: str, inp: str, spec: CorruptionSpec, level: float, seed: int
) -> tuple[dict[str, torch.Tensor], Callable[[dict], dict] | None]:
    """What ``predict_split`` needs to score ``split`` with ``inp`` corrupted: the split's
    tensors and, when the input is read lazily from files (``dataset.kwargs.lazy``), a
    per-batch transform that corrupts only that batch's examples, so a split larger than
    memory is never held corrupted as a whole. Each example is corrupted exactly as by
    :func:`corrupted_split` (its generator depends on its position in the split, not on the
    batch), and the input's tensors of a batch equal the whole split's rows for it."""
    field = task.input_fields[inp]
    examples = task.examples(split)
    if not all_refs([e[field] for e in examples if field in e]):
        return corrupted_split(task, split, inp, spec, level, seed), None
    corruption = CORRUPTIONS.get(spec.name)(**spec.kwargs)
    data = without_cached(task.tensors(split), inp)
    if corruption.is_clean(level):
        return data, None
    rng_of = _eval_rng(seed, inp, spec, level)
    layout = task.image_layouts.get(inp, "HWC")

    def per_batch(batch: dict) -> dict:
        exs = corrupt_examples(examples, field, corruption, level, rng_of, layout, _rows(batch))
        device = batch["index"].device
        out = dict(batch)  # only this input's entries (``image``; ``audio`` + ``audio_len``)
        new = task.input_tensors(exs)
        out.update({k: v.to(device) for k, v in new.items() if k == inp or k.startswith(inp + "_")})
        return out

    return data, per_batch


def corrupt_batch(
    task: Task, batch: dict[str, torch.Tensor], train: TrainSpec, step: int, encoded: list[str]
) -> dict[str, torch.Tensor]:
    """A training batch with ``train.corruptions`` drawn for this ``step`` (or the batch)."""
    examples = task.examples("train")
    rows = _rows(batch)
    exs = [examples[r] for r in rows]
    changed = False
    for inp, specs in train.corruptions.items():
        if inp not in encoded:
            continue
        for spec in specs:
            rng = np.random.default_rng(seed_of(train.seed, "train", step, inp, spec.name))
            if spec.p <= 0 or rng.random() >= spec.p:
                continue
            level = spec.levels[int(rng.integers(0, len(spec.levels)))]
            corruption = CORRUPTIONS.get(spec.name)(**spec.kwargs)
            if corruption.is_clean(level):
                continue
            base = int(rng.integers(0, 2**31))
            exs = corrupt_examples(
                exs,
                task.input_fields[inp],
                corruption,
                level,
                lambda i, base=base: np.random.default_rng([base, i]),
                task.image_layouts.get(inp, "HWC"),
            )
            changed = True
    if not changed:
        return batch
    device = batch["index"].device
    out = dict(batch)
    out.update({k: v.to(device) for k, v in task.input_tensors(exs).items()})
    return out
