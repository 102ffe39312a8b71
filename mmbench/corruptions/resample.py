"""Resampling artefacts: decimation without an anti-aliasing filter, then zero-order hold."""

from __future__ import annotations

import numpy as np

from mmbench.corruptions._audio import AudioCorruption
from mmbench.registry import CORRUPTIONS


@CORRUPTIONS.register("resample")
class ResampleCorruption(AudioCorruption):
    """Audio: keep every ``level``-th sample (no low-pass, so high frequencies alias) and hold
    it for ``level`` samples, back at the original rate and length (level: factor; 1 =
    unchanged)."""

    unit = "downsampling factor"
    clean_level = 1.0
    low = 1.0
    high = 64.0
    integer = True
    example_levels = (2.0, 4.0)
    tolerance = 0.01

    def apply(self, x, level, rng, others):
        f = int(level)
        x = np.asarray(x, np.float32)
        return np.repeat(x[::f], f)[: len(x)].copy()

    def measure(self, clean, corrupted) -> float:
        """Mean length of runs of equal consecutive samples (the hold factor)."""
        y = np.asarray(corrupted)
        runs = 1 + int(np.count_nonzero(y[1:] != y[:-1]))
        return len(y) / runs

    def agrees(self, measured, level) -> bool:
        return abs(measured - level) <= self.tolerance * level + level / 1000
