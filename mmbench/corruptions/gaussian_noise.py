"""Additive Gaussian pixel noise of standard deviation σ (in units of the [0, 1] range)."""

from __future__ import annotations

import numpy as np

from mmbench.corruptions._image import ImageCorruption, clip
from mmbench.registry import CORRUPTIONS


@CORRUPTIONS.register("gaussian_noise")
class GaussianNoiseCorruption(ImageCorruption):
    """Image: add N(0, σ²) to every pixel and channel, clip to [0, 1] (level: σ)."""

    unit = "σ of [0, 1] intensities"
    high = 10.0
    example_levels = (0.05, 0.1)

    def apply(self, x, level, rng, others):
        return clip(x + level * rng.standard_normal(x.shape))

    def measure(self, clean, corrupted) -> float:
        return float(np.std(corrupted.astype(np.float64) - clean))
