"""Babble noise: other utterances of the same split (or batch) mixed in at an SNR (dB)."""

from __future__ import annotations

import numpy as np

from mmbench.corruptions._audio import SnrCorruption, add_at_snr
from mmbench.registry import CORRUPTIONS


def _fit(wave: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``wave`` tiled or cut to ``n`` samples from a random offset."""
    wave = np.asarray(wave, np.float64)
    if len(wave) == 0:
        return np.zeros(n)
    reps = -(-n // len(wave)) + 1
    tiled = np.tile(wave, reps)
    start = int(rng.integers(0, len(wave)))
    return tiled[start : start + n]


@CORRUPTIONS.register("babble_noise")
class BabbleNoiseCorruption(SnrCorruption):
    """Audio: the sum of ``talkers`` other utterances (drawn from the rest of the split at
    test time, of the batch in training; each tiled to length from a random offset), scaled
    to the exact SNR (level: dB). With no other utterance, the time-reversed utterance
    itself is the babble."""

    def __init__(self, talkers: int = 3):
        self.talkers = max(1, int(talkers))

    def apply(self, x, level, rng, others):
        pool = list(others) or [np.asarray(x)[::-1]]
        picks = rng.choice(len(pool), size=min(self.talkers, len(pool)), replace=False)
        noise = sum(_fit(pool[int(i)], len(x), rng) for i in picks)
        return add_at_snr(x, np.asarray(noise), level)
