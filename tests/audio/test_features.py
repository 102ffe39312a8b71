"""Log-mel features against hand-computed references: a pure tone peaks in the right mel band."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from mmbench.audio.features import (
    LogMel,
    hz_to_mel,
    mel_center_frequencies,
    mel_filterbank,
    mel_to_hz,
    normalize_utterance,
)


def tone(freq: float, sr: int, seconds: float = 0.5) -> torch.Tensor:
    t = torch.arange(int(sr * seconds), dtype=torch.float64) / sr
    return torch.sin(2 * math.pi * freq * t).float()


@pytest.mark.parametrize(
    ("freq", "sr"),
    [(300.0, 16000), (1000.0, 16000), (2500.0, 16000), (5500.0, 16000), (700.0, 8000)],
)
def test_pure_tone_peaks_in_the_band_centred_nearest_it(freq, sr):
    feats = LogMel(sr, n_mels=40)(tone(freq, sr))  # (T, 40)
    centres = mel_center_frequencies(40, sr).numpy()
    expected = int(np.argmin(np.abs(centres - freq)))
    assert int(feats[5:-5].mean(0).argmax()) == expected


def test_mel_scale_is_htk_and_invertible():
    # HTK: 1000 Hz ↔ 999.99 mel (2595·log10(1 + 1000/700)), hand-computed
    assert float(hz_to_mel(1000.0)) == pytest.approx(2595 * math.log10(1 + 1000 / 700))
    f = torch.tensor([0.0, 123.0, 4000.0, 7999.0], dtype=torch.float64)
    torch.testing.assert_close(mel_to_hz(hz_to_mel(f)), f)


def test_filterbank_triangles_peak_at_centres_and_cover_the_band():
    n_fft, sr = 512, 16000
    fb = mel_filterbank(n_fft, 20, sr)  # (257, 20)
    assert fb.shape == (257, 20) and (fb >= 0).all() and fb.max() <= 1.0
    bin_hz = sr / n_fft
    for m, c in enumerate(mel_center_frequencies(20, sr).tolist()):
        k = int(round(c / bin_hz))
        # the bin nearest the centre holds the filter's maximum, and it is the argmax bin
        assert int(fb[:, m].argmax()) in (k - 1, k, k + 1)
    # inside the spanned band every FFT bin belongs to at most two filters, summing ≤ 1
    assert fb.gt(0).sum(1).max() <= 2 and fb.sum(1).max() <= 1.0 + 1e-6


def test_frame_count_and_batch_consistency():
    lm = LogMel(16000)
    wave = torch.randn(2, 16000)
    feats = lm(wave)
    assert feats.shape == (2, lm.num_frames(16000), 40) == (2, 101, 40)
    torch.testing.assert_close(feats[1], lm(wave[1]))
    short = lm(torch.randn(50))  # shorter than the FFT: padded, still finite
    assert torch.isfinite(short).all() and short.shape[0] == 1


def test_energy_is_log_power():
    # doubling the amplitude adds log(4) to every band with signal
    lm = LogMel(16000)
    a, b = lm(tone(1000.0, 16000)), lm(2 * tone(1000.0, 16000))
    band = int(a.mean(0).argmax())
    assert float((b - a)[5:-5, band].mean()) == pytest.approx(math.log(4), abs=1e-3)


def test_normalize_utterance_zero_mean_unit_std():
    x = torch.randn(50, 8) * 3 + 2
    y = normalize_utterance(x)
    torch.testing.assert_close(y.mean(0), torch.zeros(8), atol=1e-5, rtol=0)
    torch.testing.assert_close(y.std(0), torch.ones(8), atol=1e-3, rtol=0)
