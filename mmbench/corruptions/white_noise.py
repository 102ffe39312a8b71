"""Additive white Gaussian noise at a signal-to-noise ratio (dB)."""

from __future__ import annotations

from mmbench.corruptions._audio import SnrCorruption, add_at_snr
from mmbench.registry import CORRUPTIONS


@CORRUPTIONS.register("white_noise")
class WhiteNoiseCorruption(SnrCorruption):
    """Audio: white Gaussian noise scaled to the exact SNR of each utterance (level: dB)."""

    def apply(self, x, level, rng, others):
        return add_at_snr(x, rng.standard_normal(len(x)), level)
