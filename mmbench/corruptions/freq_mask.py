"""Frequency masking on the waveform: one contiguous band of the spectrum removed."""

from __future__ import annotations

import numpy as np

from mmbench.corruptions._audio import AudioCorruption
from mmbench.registry import CORRUPTIONS


@CORRUPTIONS.register("freq_mask")
class FreqMaskCorruption(AudioCorruption):
    """Audio: a random band of ``round(level · bins)`` of the utterance's FFT bins zeroed and
    the waveform resynthesised — SpecAugment's frequency mask (Park et al., 2019) done
    before the features (level: fraction of the spectrum)."""

    unit = "fraction of the spectrum"
    high = 1.0
    example_levels = (0.1, 0.4)
    tolerance = 0.05

    def apply(self, x, level, rng, others):
        spec = np.fft.rfft(np.asarray(x, np.float64))
        width = round(level * len(spec))
        start = int(rng.integers(0, len(spec) - width + 1))
        spec[start : start + width] = 0.0
        return np.fft.irfft(spec, n=len(x)).astype(np.float32)

    def measure(self, clean, corrupted) -> float:
        mag = np.abs(np.fft.rfft(np.asarray(corrupted, np.float64)))
        ref = np.abs(np.fft.rfft(np.asarray(clean, np.float64))).max()
        return float(np.mean(mag < 1e-4 * ref))
