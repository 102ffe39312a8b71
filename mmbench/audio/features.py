"""Log-mel filterbank features in torch (no torchaudio).

Frames: Hann window of ``win_ms`` every ``hop_ms`` (centred, reflect padding), power spectrum of
an ``n_fft``-point FFT, triangular filters equally spaced on the HTK mel scale
(``mel = 2595·log10(1 + f/700)``) between ``fmin`` and ``fmax`` (default Nyquist), then
``log(energy + 1e-6)``.
"""

from __future__ import annotations

import math

import numpy as np
import torch


def hz_to_mel(f: torch.Tensor | float) -> torch.Tensor:
    return 2595.0 * torch.log10(1.0 + torch.as_tensor(f, dtype=torch.float64) / 700.0)


def mel_to_hz(m: torch.Tensor | float) -> torch.Tensor:
    return 700.0 * (10.0 ** (torch.as_tensor(m, dtype=torch.float64) / 2595.0) - 1.0)


def mel_center_frequencies(
    n_mels: int, sample_rate: int, fmin: float = 0.0, fmax: float | None = None
) -> torch.Tensor:
    """Centre frequencies (Hz) of the ``n_mels`` triangular filters → (n_mels,)."""
    fmax = sample_rate / 2 if fmax is None else fmax
    mels = torch.linspace(
        float(hz_to_mel(fmin)), float(hz_to_mel(fmax)), n_mels + 2, dtype=torch.float64
    )
    return mel_to_hz(mels)[1:-1]


def mel_filterbank(
    n_fft: int, n_mels: int, sample_rate: int, fmin: float = 0.0, fmax: float | None = None
) -> torch.Tensor:
    """Triangular mel filters (n_fft // 2 + 1, n_mels): peak 1 at each centre frequency."""
    fmax = sample_rate / 2 if fmax is None else fmax
    mels = torch.linspace(
        float(hz_to_mel(fmin)), float(hz_to_mel(fmax)), n_mels + 2, dtype=torch.float64
    )
    edges = mel_to_hz(mels)  # (n_mels + 2,)
    freqs = torch.linspace(0, sample_rate / 2, n_fft // 2 + 1, dtype=torch.float64)  # (K,)
    lo, mid, hi = edges[:-2], edges[1:-1], edges[2:]
    up = (freqs[:, None] - lo) / (mid - lo)
    down = (hi - freqs[:, None]) / (hi - mid)
    return torch.clamp(torch.minimum(up, down), min=0.0).float()  # (K, n_mels)


class LogMel:
    """Callable: waveform (N,) or (B, N) float → log-mel (T, n_mels) or (B, T, n_mels).

    T = 1 + N // hop (centred frames). Defaults: 25 ms windows, 10 ms hop, 40 mels.
    """

    def __init__(
        self, sample_rate: int, n_mels: int = 40, win_ms: float = 25.0, hop_ms: float = 10.0
    ):
        self.sample_rate = sample_rate
        self.n_mels = n_mels
        self.win = int(round(sample_rate * win_ms / 1000))
        self.hop = int(round(sample_rate * hop_ms / 1000))
        self.n_fft = 1 << math.ceil(math.log2(self.win))
        self.window = torch.hann_window(self.win)
        self.fbank = mel_filterbank(self.n_fft, n_mels, sample_rate)

    def num_frames(self, n_samples: int) -> int:
        return 1 + n_samples // self.hop

    def __call__(self, wave: torch.Tensor) -> torch.Tensor:
        wave = torch.as_tensor(wave, dtype=torch.float32)
        frames = self.num_frames(wave.shape[-1])
        if wave.shape[-1] < self.n_fft // 2 + 1:  # reflect padding needs a few samples
            wave = torch.nn.functional.pad(wave, (0, self.n_fft // 2 + 1 - wave.shape[-1]))
        spec = torch.stft(
            wave, self.n_fft, hop_length=self.hop, win_length=self.win, window=self.window,
            center=True, pad_mode="reflect", return_complex=True,
        )  # (…, K, T)  # fmt: skip
        power = spec.abs().pow(2).transpose(-1, -2)[..., :frames, :]  # (…, T, K)
        return torch.log(power @ self.fbank + 1e-6)  # (…, T, n_mels)


def normalize_utterance(feats: torch.Tensor) -> torch.Tensor:
    """Per-utterance mean/variance normalisation of (T, F) features over T."""
    mean = feats.mean(0, keepdim=True)
    std = feats.std(0, keepdim=True) if feats.shape[0] > 1 else torch.ones_like(mean)
    return (feats - mean) / (std + 1e-5)


def pad_stack(rows: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad (Tᵢ, …) tensors with zeros → ((N, T_max, …), lengths (N,))."""
    lengths = torch.tensor([r.shape[0] for r in rows], dtype=torch.long)
    out = rows[0].new_zeros((len(rows), int(lengths.max()), *rows[0].shape[1:]))
    for i, r in enumerate(rows):
        out[i, : r.shape[0]] = r
    return out, lengths


class UtteranceFeatures:
    """What an audio encoder is fed for utterances: per-utterance normalised log-mel frames
    (T, n_mels), or the samples themselves (S,) for encoders that read waveforms.

    The one definition for in-memory and lazily read audio (:mod:`mmbench.data.lazy_audio`),
    so both give the same tensors; ``length`` is T (or S) from the sample count alone.
    """

    def __init__(self, featurizer: LogMel, waveform: bool = False):
        self.featurizer = featurizer
        self.waveform = waveform

    @property
    def frame_shape(self) -> tuple[int, ...]:
        """The shape of one time step: () for samples, (n_mels,) for frames."""
        return () if self.waveform else (self.featurizer.n_mels,)

    def length(self, n_samples: int) -> int:
        return int(n_samples) if self.waveform else self.featurizer.num_frames(n_samples)

    def __call__(self, wave) -> torch.Tensor:
        """float32 waveform (S,) → (S,) samples or (T, n_mels) normalised log-mel."""
        x = torch.from_numpy(np.asarray(wave))
        return x.float() if self.waveform else normalize_utterance(self.featurizer(x))

    def stack(self, waves: list) -> tuple[torch.Tensor, torch.Tensor]:
        """Utterances → ((B, T_max, n_mels) or (B, S_max) zero-padded, lengths (B,))."""
        return pad_stack([self(w) for w in waves])
