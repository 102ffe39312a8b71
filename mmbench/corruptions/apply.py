"""Corrupting the raw value of one input in a list of examples (a test split or a batch).

Examples are plain dicts (see ``mmbench.data.base``); a task names the example key of each input
(``Task.input_fields``) and the layout of its images (``Task.image_layouts``: uint8 ``HWC``, or
float ``CHW`` in [0, 1]). Images are converted to float ``(H, W, C)`` in [0, 1] for the
corruption and back to their own layout and dtype (uint8 images are rounded). Text stays a
string, so every text corruption happens before tokenisation. Values read lazily from files
(:class:`mmbench.data.lazy_column.LazyRef`) are read when corrupted.

Each example draws from its own generator (seeded by the caller from a seed, the input, the
corruption, the level and the example's position), so a test example is corrupted the same way
whatever the batch size, and the same for every model of a sweep (a paired comparison).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from mmbench.corruptions.base import Corruption
from mmbench.data.lazy_column import materialize


class Others(Sequence):
    """The values of a list except position ``skip``, without copying the list."""

    def __init__(self, values: Sequence[Any], skip: int):
        self.values, self.skip = values, skip

    def __len__(self) -> int:
        return len(self.values) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        return self.values[i + (i >= self.skip)]


def _to_unit(x: Any, layout: str) -> np.ndarray:
    arr = np.asarray(x)
    unit = arr.astype(np.float32) / 255.0 if arr.dtype == np.uint8 else arr.astype(np.float32)
    return np.transpose(unit, (1, 2, 0)) if layout == "CHW" else unit


def _from_unit(y: np.ndarray, like: Any, layout: str) -> np.ndarray:
    like = np.asarray(like)
    y = np.transpose(y, (2, 0, 1)) if layout == "CHW" else y
    if like.dtype == np.uint8:
        return np.clip(np.rint(y * 255.0), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(y, dtype=like.dtype)


def corrupt_value(
    corruption: Corruption,
    value: Any,
    level: float,
    rng: np.random.Generator,
    others: Sequence[Any] = (),
    layout: str = "HWC",
) -> Any:
    """``corruption`` of one raw value; the value itself at the clean level. A lazily read
    value (``dataset.kwargs.lazy``) is read once here; ``others`` are read when used."""
    if corruption.is_clean(level):
        return value
    value = materialize(value)
    if corruption.kind == "image":
        out = corruption(_to_unit(value, layout), level, rng)  # no image corruption mixes
        return _from_unit(out, value, layout)
    return corruption(value, level, rng, others)


def corrupt_examples(
    examples: list[dict],
    field: str,
    corruption: Corruption,
    level: float,
    rng_of: Callable[[int], np.random.Generator],
    layout: str = "HWC",
    rows: Sequence[int] | None = None,
) -> list[dict]:
    """Shallow copies of ``examples`` with ``field`` corrupted (``rng_of(i)`` for example i);
    the very same list at the clean level; examples without ``field`` are kept as they are.
    ``rows``: only these examples, in this order (a batch of a split); the others stay the
    population a corruption mixing in other examples (babble noise) draws from, and are not
    read."""
    if corruption.is_clean(level):
        return examples if rows is None else [examples[r] for r in rows]
    values = [e.get(field) for e in examples]
    out = []
    for i in range(len(examples)) if rows is None else rows:
        ex = examples[i]
        if field not in ex:
            out.append(ex)
            continue
        new = dict(ex)
        new[field] = corrupt_value(
            corruption, ex[field], level, rng_of(i), Others(values, i), layout
        )
        out.append(new)
    return out
