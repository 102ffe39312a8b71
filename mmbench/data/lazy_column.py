"""What every lazily read input shares (``dataset.kwargs.lazy: true``): a file reference in each
example, and a task column that reads only the files of the batch it is indexed with.

- A :class:`LazyRef` stands in an example for one input value (an image, a waveform);
  ``np.asarray(ref)`` (or ``ref.load()``) reads it, so code that needs the raw value of one
  example (corruptions, the first image's shape) works unchanged.
- A :class:`LazyColumn` stands in a task's tensors for a stacked ``(N, …)`` tensor: ``shape``
  and ``len`` need no file; indexing with a slice, an index tensor or a list reads just those
  rows and returns a tensor; :func:`is_lazy` is how the engine tells it from a tensor
  (:func:`mmbench.engine.loop.iterate_batches` reads lazy columns in DataLoader workers).

Kinds: :mod:`mmbench.data.lazy_images`, :mod:`mmbench.data.lazy_audio`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from mmbench.errors import MmbenchError


class LazyRef:
    """One example's input value, read from its file when asked for (subclasses: ``load``)."""

    __slots__ = ()  # subclasses with slots keep no per-instance dict (one per example)

    def load(self) -> np.ndarray:
        raise NotImplementedError

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        arr = self.load()
        return arr if dtype is None else arr.astype(dtype)


def all_refs(values: list, kind: type[LazyRef] = LazyRef) -> bool:
    """Whether every value (at least one) is a reference of ``kind``."""
    return bool(values) and all(isinstance(v, kind) for v in values)


def materialize(value: Any) -> Any:
    """The value itself: a reference read once, anything else as it is."""
    return value.load() if isinstance(value, LazyRef) else value


class LazyColumn:
    """N rows of one input, read from their files when indexed (subclasses: ``read``,
    ``subset`` and ``shape``)."""

    refs: list
    shape: torch.Size

    def __len__(self) -> int:
        return len(self.refs)

    def rows(self, idx) -> list[int]:
        """Row numbers of a slice, an index tensor, a list or an int."""
        if isinstance(idx, slice):
            return list(range(*idx.indices(len(self.refs))))
        return [int(i) for i in torch.as_tensor(idx).reshape(-1).tolist()]

    def __getitem__(self, idx) -> torch.Tensor:
        return self.read([self.refs[i] for i in self.rows(idx)])

    def read(self, refs: list) -> torch.Tensor:
        """The stacked tensor of these rows (``(0, …)`` for none)."""
        raise NotImplementedError

    def subset(self, rows: list[int]) -> LazyColumn:
        """Rows ``rows`` as another column of the same kind; nothing is read."""
        raise NotImplementedError

    def index_select(self, dim: int, index: torch.Tensor) -> LazyColumn:
        """Rows ``index`` as another lazy column (generative tasks repeat an input per
        reference); nothing is read."""
        if dim != 0:
            raise ValueError(f"{type(self).__name__}.index_select: only dim 0")
        return self.subset([int(i) for i in index.tolist()])


def is_lazy(value) -> bool:
    """Whether a task tensor is a lazily read column (rather than a ``torch.Tensor``)."""
    return isinstance(value, LazyColumn)


def lazy_flag(value: Any) -> bool:
    """A dataset's ``lazy`` keyword, checked (a Python caller bypasses spec validation)."""
    if not isinstance(value, bool):
        raise MmbenchError(f"dataset.kwargs.lazy: expected true or false, found {value!r}")
    return value
