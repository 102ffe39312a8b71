"""What a dataset builder returns: three splits of example dicts, plus metadata.

A builder is a function registered in ``mmbench.registry.DATASETS``:

    build(*, task: str, **kwargs) -> Splits

``task`` is supplied by build.py (a builder states which tasks it serves in ``tasks``); the spec's
``dataset.kwargs`` become the other keyword arguments, validated against the signature.
Examples are plain dicts of raw values (numpy images, strings); tasks turn them into tensors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mmbench.errors import MmbenchError

SPLITS = ("train", "val", "test")


@dataclass
class Splits:
    train: list[dict]
    val: list[dict]
    test: list[dict]
    meta: dict = field(default_factory=dict)

    def get(self, split: str) -> list[dict]:
        if split not in SPLITS:
            raise MmbenchError(f"unknown split '{split}' (available: {', '.join(SPLITS)})")
        return getattr(self, split)
