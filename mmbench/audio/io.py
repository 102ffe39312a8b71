"""Reading audio files (WAV/FLAC/OGG through soundfile) and resampling to a common rate."""

from __future__ import annotations

import logging
from math import gcd
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from mmbench.errors import MmbenchError

log = logging.getLogger(__name__)


def resample(wave: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """Resample mono ``wave`` (N,) from ``sr_in`` to ``sr_out`` Hz → float32 (≈ N·sr_out/sr_in,).

    Polyphase filtering (Kaiser-windowed FIR low-pass at the lower Nyquist) by the reduced ratio
    ``sr_out/g : sr_in/g``, g = gcd; exact rational rates, no drift.
    """
    if sr_in <= 0 or sr_out <= 0:
        raise ValueError(f"sample rates must be positive, got {sr_in} → {sr_out}")
    wave = np.asarray(wave, dtype=np.float32)
    if sr_in == sr_out or wave.size == 0:
        return wave
    g = gcd(int(sr_in), int(sr_out))
    return resample_poly(wave, sr_out // g, sr_in // g).astype(np.float32)


def resampled_length(n_samples: int, sr_in: int, sr_out: int) -> int:
    """Samples that :func:`resample` makes of ``n_samples``: ⌈n·up/down⌉ for the reduced ratio,
    as scipy's ``resample_poly``; checked against it in ``tests/audio/test_io.py``."""
    if sr_in == sr_out or n_samples == 0:
        return int(n_samples)
    g = gcd(int(sr_in), int(sr_out))
    return -(-int(n_samples) * (sr_out // g) // (sr_in // g))


def audio_length(path: str | Path, sample_rate: int | None = None) -> int:
    """Samples that :func:`load_audio` returns for ``path`` (resampled to ``sample_rate``), from
    the file's header alone: nothing is decoded. Raises as ``load_audio`` for an unreadable or
    empty file (non-finite samples show only when the file is read)."""
    import soundfile as sf

    path = Path(path)
    try:
        info = sf.info(str(path))
    except Exception as exc:  # as load_audio: LibsndfileError, RuntimeError, TypeError …
        raise MmbenchError(f"{path}: cannot read audio ({exc})") from exc
    if info.frames <= 0:
        raise MmbenchError(f"{path}: audio file holds no samples")
    return resampled_length(info.frames, info.samplerate, sample_rate or info.samplerate)


def load_audio(path: str | Path, sample_rate: int | None = None) -> tuple[np.ndarray, int]:
    """Read an audio file → (mono float32 waveform (N,) in [-1, 1], sample rate in Hz).

    Multi-channel audio is averaged to mono; with ``sample_rate`` the waveform is resampled to
    it. An unreadable, corrupt or empty file raises ``MmbenchError`` naming the file.
    """
    import soundfile as sf

    path = Path(path)
    try:
        data, sr = sf.read(str(path), dtype="float32", always_2d=True)
    except Exception as exc:  # soundfile raises LibsndfileError, RuntimeError, TypeError …
        raise MmbenchError(f"{path}: cannot read audio ({exc})") from exc
    if data.shape[0] == 0:
        raise MmbenchError(f"{path}: audio file holds no samples")
    wave = data.mean(axis=1)
    if not np.isfinite(wave).all():
        raise MmbenchError(f"{path}: audio holds non-finite samples")
    if sample_rate is not None and sr != sample_rate:
        wave = resample(wave, sr, sample_rate)
        sr = sample_rate
    return wave, int(sr)


class AudioReader:
    """Loads files for a dataset, raising on a bad one or skipping and counting it.

    ``on_error``: ``"raise"`` (default) or ``"skip"``; ``skipped`` lists the files left out.
    """

    def __init__(self, sample_rate: int, on_error: str = "raise"):
        if on_error not in ("raise", "skip"):
            raise MmbenchError(f"dataset kwargs: on_error: '{on_error}' is not one of raise, skip")
        self.sample_rate = sample_rate
        self.on_error = on_error
        self.skipped: list[str] = []

    def __call__(self, path: str | Path) -> np.ndarray | None:
        """The waveform at the common rate, or None if the file was skipped."""
        return self._guarded(path, lambda: load_audio(path, self.sample_rate)[0])

    def length(self, path: str | Path) -> int | None:
        """The waveform's length at the common rate, from the file's header (nothing decoded;
        for ``dataset.kwargs.lazy``), or None if the file was skipped."""
        return self._guarded(path, lambda: audio_length(path, self.sample_rate))

    def _guarded(self, path: str | Path, read):
        try:
            return read()
        except MmbenchError as exc:
            if self.on_error == "raise":
                raise MmbenchError(
                    f"{exc} (set dataset.kwargs.on_error: skip to leave it out)"
                ) from exc
            log.warning("skipping unreadable audio: %s", exc)
            self.skipped.append(str(path))
            return None
