"""Time masking on the waveform: contiguous spans set to silence (SpecAugment's time mask)."""

from __future__ import annotations

import numpy as np

from mmbench.corruptions._audio import AudioCorruption
from mmbench.registry import CORRUPTIONS


@CORRUPTIONS.register("time_mask")
class TimeMaskCorruption(AudioCorruption):
    """Audio: ``spans`` random spans, together ``round(level · T)`` samples, set to zero
    (spans may overlap, so at most that many) — the time mask of SpecAugment (Park et al.,
    2019) applied to the waveform (level: fraction of samples)."""

    unit = "fraction of samples"
    high = 1.0
    example_levels = (0.1, 0.3)
    tolerance = 0.05

    def __init__(self, spans: int = 1):
        self.spans = max(1, int(spans))

    def apply(self, x, level, rng, others):
        out = np.array(x, dtype=np.float32, copy=True)
        n = len(out)
        width = round(level * n) // self.spans
        for _ in range(self.spans if width else 0):
            start = int(rng.integers(0, n - width + 1))
            out[start : start + width] = 0.0
        return out

    def measure(self, clean, corrupted) -> float:
        clean, corrupted = np.asarray(clean), np.asarray(corrupted)
        return float(np.mean((corrupted == 0) & (clean != 0)))
