"""What the audio corruptions share: a probe waveform, noise at an exact SNR, SNR measured back."""

from __future__ import annotations

import math

import numpy as np

from mmbench.corruptions.base import Corruption


class AudioCorruption(Corruption):
    """Audio as a float32 waveform ``(T,)``."""

    kind = "audio"

    def probe(self, rng: np.random.Generator) -> tuple[np.ndarray, list]:
        t = np.arange(8000) / 8000.0
        x = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.standard_normal(len(t))
        others = [0.2 * rng.standard_normal(n).astype(np.float32) for n in (3000, 8000, 12000)]
        return x.astype(np.float32), others


def power(x: np.ndarray) -> float:
    return float(np.mean(np.square(np.asarray(x, np.float64))))


def add_at_snr(x: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``x + a·noise`` with ``a`` chosen so that power(x) / power(a·noise) = 10^(snr/10)
    exactly; a silent ``x`` (or noise) is returned unchanged."""
    px, pn = power(x), power(noise)
    if px == 0.0 or pn == 0.0:
        return np.array(x, copy=True)
    scale = math.sqrt(px / (pn * 10.0 ** (snr_db / 10.0)))
    return (np.asarray(x, np.float64) + scale * noise).astype(np.float32)


def snr_db(clean: np.ndarray, corrupted: np.ndarray) -> float:
    noise = np.asarray(corrupted, np.float64) - np.asarray(clean, np.float64)
    pn = power(noise)
    return math.inf if pn == 0.0 else 10.0 * math.log10(power(clean) / pn)


class SnrCorruption(AudioCorruption):
    """Level: signal-to-noise ratio in dB; ``inf`` (``.inf`` in YAML) is the clean input."""

    unit = "SNR in dB"
    clean_level = math.inf
    low = -60.0
    high = 120.0
    example_levels = (20.0, 0.0, -10.0)

    def measure(self, clean, corrupted) -> float:
        return snr_db(clean, corrupted)

    def agrees(self, measured, level) -> bool:
        return abs(measured - level) <= 0.05  # dB; only float32 rounding
