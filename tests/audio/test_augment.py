"""Additive noise at a chosen SNR, and SpecAugment masking."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mmbench.audio.augment import add_noise, spec_augment


@pytest.mark.parametrize("snr_db", [-5.0, 0.0, 10.0, 20.0])
def test_noise_reaches_the_requested_snr(snr_db):
    rng = np.random.default_rng(0)
    clean = np.sin(np.linspace(0, 2000, 80000)).astype(np.float32) * 0.3
    noisy = add_noise(clean, snr_db, rng)
    noise = noisy - clean
    measured = 10 * np.log10(np.mean(clean.astype(float) ** 2) / np.mean(noise.astype(float) ** 2))
    assert measured == pytest.approx(snr_db, abs=0.1)


def test_noise_is_deterministic_and_silence_stays_silent():
    x = np.random.default_rng(1).standard_normal(1000).astype(np.float32)
    a = add_noise(x, 5.0, np.random.default_rng(3))
    b = add_noise(x, 5.0, np.random.default_rng(3))
    assert np.array_equal(a, b) and not np.array_equal(a, x)
    assert np.array_equal(
        add_noise(np.zeros(10, np.float32), 0.0, np.random.default_rng(0)), np.zeros(10)
    )


def test_spec_augment_zeroes_bands_and_spans_inside_the_valid_length():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(6, 80, 20) + 5.0  # no natural zeros
    lengths = torch.tensor([80, 60, 40, 20, 10, 5])
    y = spec_augment(
        x, lengths, freq_masks=2, freq_width=4, time_masks=2, time_width=10, generator=g
    )
    assert y.shape == x.shape and not torch.equal(x, y) and (x > 0).all()  # input untouched
    zero = y == 0
    for i, n in enumerate(lengths.tolist()):
        cols = zero[i].all(0)  # frequency bands zeroed over all frames
        rows = zero[i][:, ~cols].all(1) if (~cols).any() else zero[i].all(1)
        assert int(cols.sum()) <= 8
        assert int(rows.sum()) <= 2 * min(10, n // 5)  # time spans within the valid length
        assert not rows[n:].any()
        changed = (x[i] != y[i]) & ~zero[i]
        assert not changed.any()  # everything else is unchanged
