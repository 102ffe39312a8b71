"""What the image corruptions share: the probe images and clipping to [0, 1]."""

from __future__ import annotations

import numpy as np

from mmbench.corruptions.base import Corruption


class ImageCorruption(Corruption):
    """Images as float32 ``(H, W, C)`` in [0, 1]; results are clipped to [0, 1]."""

    kind = "image"

    def probe(self, rng: np.random.Generator) -> tuple[np.ndarray, list]:
        # mid-grey with a little texture: no clipping at the example levels
        x = 0.5 + 0.05 * rng.standard_normal((48, 48, 3))
        return x.astype(np.float32), []


def clip(x: np.ndarray) -> np.ndarray:
    return np.clip(x, 0.0, 1.0).astype(np.float32)
