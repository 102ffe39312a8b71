"""Occlusion: one rectangle covering a fraction of the image area, filled with a constant."""

from __future__ import annotations

import math

import numpy as np

from mmbench.corruptions._image import ImageCorruption
from mmbench.registry import CORRUPTIONS


@CORRUPTIONS.register("occlusion")
class OcclusionCorruption(ImageCorruption):
    """Image: a box of the image's aspect covering ``level`` of its area at a random place,
    filled with ``fill`` (cutout, DeVries & Taylor 2017) (level: fraction of area)."""

    unit = "fraction of area"
    high = 1.0
    example_levels = (0.1, 0.25, 0.5)
    tolerance = 0.15

    def __init__(self, fill: float = 0.0):
        self.fill = float(fill)

    def apply(self, x, level, rng, others):
        h, w = x.shape[:2]
        side = math.sqrt(level)
        bh, bw = min(h, max(1, round(side * h))), min(w, max(1, round(side * w)))
        top = int(rng.integers(0, h - bh + 1))
        left = int(rng.integers(0, w - bw + 1))
        out = np.array(x, dtype=np.float32, copy=True)
        out[top : top + bh, left : left + bw] = self.fill
        return out

    def measure(self, clean, corrupted) -> float:
        changed = np.any(np.asarray(corrupted) != np.asarray(clean), axis=-1)
        return float(changed.mean())
