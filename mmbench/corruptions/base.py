"""The corruption contract: one raw test input, a severity level, a seeded generator → a copy.

A corruption is registered in ``mmbench.registry.CORRUPTIONS`` by name (its file stem) and
declares the modality ``kind`` it corrupts (``image``, ``text``, ``audio``), the ``unit`` of its
level and the ``clean_level`` at which it returns its input unchanged (the very object: a clean
level scores exactly as the clean input). Raw values, as datasets hold them:

- image: float32 ``(H, W, C)`` in [0, 1] (the caller converts a task's uint8 or ``(C, H, W)``
  images, see :mod:`mmbench.corruptions.apply`);
- text: a ``str`` (before tokenisation);
- audio: a float32 waveform ``(T,)``.

``measure(clean, corrupted)`` measures the level back from a pair (σ, fraction of area, rate,
SNR in dB, …) and ``agrees(measured, level)`` says whether it is the stated amount; the contract
tests check both on ``probe()`` inputs for every registered corruption, so a user's corruption
is tested the moment it is registered.

Robustness curves of this kind follow MultiBench (Liang et al., 2021, "MultiBench: Multiscale
Benchmarks for Multimodal Representation Learning", NeurIPS Datasets and Benchmarks), which
corrupts one modality at a time at increasing levels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np


class Corruption:
    """Base class; subclasses implement ``apply``, ``measure`` and ``probe``."""

    kind: ClassVar[str] = ""
    unit: ClassVar[str] = ""
    clean_level: ClassVar[float] = 0.0
    low: ClassVar[float] = 0.0  # allowed level range (inclusive)
    high: ClassVar[float] = math.inf
    integer: ClassVar[bool] = False  # levels must be whole numbers
    example_levels: ClassVar[tuple[float, ...]] = ()  # levels the contract tests use
    tolerance: ClassVar[float] = 0.1  # relative tolerance of ``agrees``

    def __init__(self) -> None:  # subclasses with options take them as keyword arguments
        pass

    def __call__(
        self, x: Any, level: float, rng: np.random.Generator, others: Sequence[Any] = ()
    ) -> Any:
        """Corrupted copy of ``x`` at ``level``; ``x`` itself at the clean level.

        ``others``: other raw values of the same input (the rest of the split or batch), for
        corruptions that mix inputs (babble noise).
        """
        if self.is_clean(level):
            return x
        return self.apply(x, float(level), rng, others)

    def is_clean(self, level: float) -> bool:
        return float(level) == float(self.clean_level)

    def apply(self, x: Any, level: float, rng: np.random.Generator, others: Sequence[Any]) -> Any:
        raise NotImplementedError

    def level_problem(self, level: float) -> str | None:
        """Why ``level`` is not allowed, or None."""
        if isinstance(level, bool) or not isinstance(level, int | float) or math.isnan(level):
            return f"a level must be a number; found {level!r}"
        if self.is_clean(level):
            return None
        if not self.low <= level <= self.high:
            return f"levels of '{self.registered_name}' ({self.unit}) lie in [{self.low:g}, {self.high:g}]; found {level:g}"  # type: ignore[attr-defined]  # noqa: E501
        if self.integer and float(level) != int(level):
            return f"levels of '{self.registered_name}' ({self.unit}) are whole numbers; found {level:g}"  # type: ignore[attr-defined]  # noqa: E501
        return None

    # ---- what the contract tests use -----------------------------------------------------
    def probe(self, rng: np.random.Generator) -> tuple[Any, list[Any]]:
        """An input the level can be measured back on, and ``others`` for it."""
        raise NotImplementedError

    def measure(self, clean: Any, corrupted: Any) -> float:
        raise NotImplementedError

    def agrees(self, measured: float, level: float) -> bool:
        return abs(measured - level) <= self.tolerance * max(abs(level), 1e-9)


def seed_of(*parts: object) -> list[int]:
    """A ``numpy`` seed sequence from ints and strings (strings hashed stably with CRC-32)."""
    import zlib

    out = []
    for p in parts:
        if isinstance(p, int | np.integer):
            out.append(int(p) & 0xFFFFFFFF)
        else:
            out.append(zlib.crc32(str(p).encode("utf-8")))
    return out


def format_level(level: float) -> str:
    """``0.1`` → ``"0.1"``, ``-10.0`` → ``"-10"``, ``inf`` → ``"inf"`` (names of metrics)."""
    return f"{float(level):g}"
