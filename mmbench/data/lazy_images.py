"""Images read on demand, for sets larger than memory (``dataset.kwargs.lazy: true``).

A lazy loader puts an :class:`ImageRef` (file, side, where it was listed) in each example instead
of the pixels. Everything that needs pixels of one example reads them through
``np.asarray(ref)`` (corruptions, the first image's shape); a task's tensors hold a
:class:`LazyImages` column instead of a stacked ``(N, C, H, W)`` tensor, and indexing it with a
batch's indices reads just those files. So memory holds the examples' metadata and the batches in
flight, not the set: ``benchmarks/bench_lazy_loading.py`` measures peak memory for 5k vs 50k
images. ``train.num_workers`` > 0 reads the batches in DataLoader worker processes, ahead of the
training step (:func:`mmbench.engine.loop.iterate_batches`).

The in-memory path (numpy arrays in examples, one stacked tensor) stays the default and the fast
path for small sets; both give the same tensors for the same files. What lazy inputs of every
kind share is in :mod:`mmbench.data.lazy_column`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from mmbench.data.image_files import load_image
from mmbench.data.lazy_column import LazyColumn, LazyRef, all_refs, is_lazy

__all__ = ["ImageRef", "LazyImages", "all_lazy", "is_lazy", "listed"]


def listed(file: object, index: int, image_id: object) -> str:
    """``<file>: images[<index>] (id <id>)``: the entry of an annotation file naming an image."""
    return f"{file}: images[{index}] (id {image_id})"


@dataclass(frozen=True, slots=True)
class ImageRef(LazyRef):
    """One image file, read as RGB ``(size, size, 3)`` uint8 when its pixels are asked for.

    One is kept per example, so it is small (slots, the path as a string, the listing entry as
    parts formatted only when a file is read): ~350 bytes against ~700 with a ``Path`` and a
    formatted message, 16 MiB less at 50k images (``benchmarks/bench_lazy_loading.py``)."""

    path: str
    size: int
    where: str | tuple[object, int, object]  # the entry that lists the file: (file, index, id)

    def describe(self) -> str:
        """The listing entry, for an error message: ``<file>: images[<index>] (id <id>)``."""
        if isinstance(self.where, str):
            return self.where
        return listed(*self.where)

    def load(self) -> np.ndarray:
        return load_image(Path(self.path), self.size, self.describe())


def all_lazy(values: list) -> bool:
    return all_refs(values, ImageRef)


class LazyImages(LazyColumn):
    """A column of N images, ``(N, 3, S, S)`` uint8, read from their files when indexed.

    Indexing with a slice, an index tensor or a list returns a stacked tensor of those images;
    ``shape`` and ``len`` need no file.
    """

    def __init__(self, refs: list[ImageRef]):
        self.refs = list(refs)
        size = self.refs[0].size if self.refs else 0
        self.shape = torch.Size((len(self.refs), 3, size, size))

    def read(self, refs: list[ImageRef]) -> torch.Tensor:
        if not refs:
            return torch.zeros((0, *self.shape[1:]), dtype=torch.uint8)
        stacked = torch.from_numpy(np.stack([ref.load() for ref in refs]))
        return stacked.permute(0, 3, 1, 2).contiguous()

    def subset(self, rows: list[int]) -> LazyImages:
        return LazyImages([self.refs[i] for i in rows])
