"""Augmentation: additive noise at a chosen SNR (waveforms) and SpecAugment (features)."""

from __future__ import annotations

import numpy as np
import torch


def add_noise(wave: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """``wave`` (N,) plus white Gaussian noise whose power is ``signal power / 10^(snr_db/10)``.

    The signal power is the mean square of ``wave``; 0 dB means noise as loud as the speech.
    """
    wave = np.asarray(wave, dtype=np.float32)
    power = float(np.mean(wave.astype(np.float64) ** 2)) if wave.size else 0.0
    if power == 0.0:
        return wave.copy()
    noise = rng.standard_normal(wave.shape) * np.sqrt(power / 10.0 ** (snr_db / 10.0))
    return (wave + noise).astype(np.float32)


def spec_augment(
    feats: torch.Tensor,
    lengths: torch.Tensor,
    freq_masks: int = 2,
    freq_width: int = 6,
    time_masks: int = 2,
    time_width: int = 10,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """SpecAugment (Park et al. 2019) without time warping on (B, T, F) features.

    Each row gets ``freq_masks`` bands of up to ``freq_width`` mel channels and ``time_masks``
    spans of up to ``time_width`` frames (within its valid length) set to zero (the mean of
    normalised features). Returns a new tensor; the input is unchanged.
    """
    b, t, f = feats.shape
    out = feats.clone()
    for i in range(b):
        n = int(lengths[i])
        for _ in range(freq_masks):
            w = int(torch.randint(0, freq_width + 1, (1,), generator=generator))
            s = int(torch.randint(0, max(1, f - w + 1), (1,), generator=generator))
            out[i, :, s : s + w] = 0.0
        for _ in range(time_masks):
            w = int(
                torch.randint(0, min(time_width, max(n // 5, 0)) + 1, (1,), generator=generator)
            )
            s = int(torch.randint(0, max(1, n - w + 1), (1,), generator=generator))
            out[i, s : s + w, :] = 0.0
    return out
