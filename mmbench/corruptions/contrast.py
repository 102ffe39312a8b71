"""Contrast reduction: pull every pixel towards the image's mean by a fraction."""

from __future__ import annotations

import numpy as np

from mmbench.corruptions._image import ImageCorruption, clip
from mmbench.registry import CORRUPTIONS


@CORRUPTIONS.register("contrast")
class ContrastCorruption(ImageCorruption):
    """Image: ``mean + (1 − level)·(x − mean)`` per channel (level: fraction of contrast
    removed, 0 … 1; 1 leaves a flat image)."""

    unit = "fraction of contrast removed"
    high = 1.0
    example_levels = (0.3, 0.8)
    tolerance = 0.01

    def apply(self, x, level, rng, others):
        x = np.asarray(x, np.float64)
        mean = x.mean(axis=(0, 1), keepdims=True)
        return clip(mean + (1.0 - level) * (x - mean))

    def measure(self, clean, corrupted) -> float:
        return float(1.0 - np.std(np.asarray(corrupted, np.float64)) / np.std(clean))
