"""Gaussian blur of standard deviation σ pixels (separable kernel cut at 3σ, reflected edges)."""

from __future__ import annotations

import math

import numpy as np

from mmbench.corruptions._image import ImageCorruption, clip
from mmbench.registry import CORRUPTIONS


def gaussian_kernel(sigma: float) -> np.ndarray:
    radius = max(1, math.ceil(3 * sigma))
    t = np.arange(-radius, radius + 1, dtype=np.float64)
    k = np.exp(-0.5 * (t / sigma) ** 2)
    return k / k.sum()


def _along(x: np.ndarray, k: np.ndarray, axis: int) -> np.ndarray:
    r = len(k) // 2
    pad = [(0, 0)] * x.ndim
    pad[axis] = (r, r)
    xp = np.pad(x, pad, mode="reflect" if x.shape[axis] > r else "edge")
    out = np.zeros_like(x, dtype=np.float64)
    n = x.shape[axis]
    for i, weight in enumerate(k):
        out += weight * np.take(xp, np.arange(i, i + n), axis=axis)
    return out


@CORRUPTIONS.register("blur")
class BlurCorruption(ImageCorruption):
    """Image: Gaussian blur, the same σ along height and width (level: σ in pixels)."""

    unit = "σ in pixels"
    high = 50.0
    example_levels = (1.0, 2.0)
    tolerance = 0.05

    def apply(self, x, level, rng, others):
        k = gaussian_kernel(level)
        return clip(_along(_along(np.asarray(x, np.float64), k, 0), k, 1))

    def probe(self, rng):
        x = np.zeros((41, 41, 1), np.float32)  # an impulse: the output is the kernel
        x[20, 20] = 1.0
        return x, []

    def measure(self, clean, corrupted) -> float:
        # spatial standard deviation of the blurred impulse along the width
        mass = np.asarray(corrupted, np.float64)[..., 0]
        cols = mass.sum(axis=0)
        pos = np.arange(len(cols))
        mean = (cols * pos).sum() / cols.sum()
        return float(math.sqrt((cols * (pos - mean) ** 2).sum() / cols.sum()))
