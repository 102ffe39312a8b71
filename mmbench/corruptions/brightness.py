"""Brightness shift: add a constant to every pixel (in units of the [0, 1] range)."""

from __future__ import annotations

import numpy as np

from mmbench.corruptions._image import ImageCorruption, clip
from mmbench.registry import CORRUPTIONS


@CORRUPTIONS.register("brightness")
class BrightnessCorruption(ImageCorruption):
    """Image: add ``level`` to every pixel, clip to [0, 1] (level: shift, −1 … 1)."""

    unit = "shift of [0, 1] intensities"
    low = -1.0
    high = 1.0
    example_levels = (-0.3, 0.2)
    tolerance = 0.01

    def apply(self, x, level, rng, others):
        return clip(np.asarray(x, np.float64) + level)

    def measure(self, clean, corrupted) -> float:
        return float(np.mean(np.asarray(corrupted, np.float64) - clean))
