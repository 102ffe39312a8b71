"""Audio read on demand, for speech sets larger than memory (``dataset.kwargs.lazy: true``).

The file-based ASR loaders (``asr_manifest``, ``librispeech``, ``ljspeech``,
``speech_commands``, ``fsdd``) then read only each file's header when the set is read: a
missing or unreadable file raises there (or, with ``on_error: skip``, is left out and counted),
and the example holds an :class:`AudioRef` (file, common sample rate, its length at that rate)
instead of the waveform. ``np.asarray(ref)`` reads and resamples it, so corruptions and
anything else that needs one waveform work unchanged.

The ``asr`` task then holds a :class:`LazyAudio` column instead of the split's padded
``(N, T_max, F)`` tensor: indexing it reads the batch's files, featurises them
(:class:`mmbench.audio.features.UtteranceFeatures`, the in-memory path's code) and pads them to
the batch's longest utterance, which is what ``AsrTask.model_inputs`` trims the split-wide
padding to anyway, so every batch equals the in-memory one. ``audio_len`` is known from the
headers alone: frames → resampled length (``mmbench.audio.io.resampled_length``) → log-mel
frame count; a file whose decoded length disagrees with its header raises when it is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from mmbench.audio.features import UtteranceFeatures
from mmbench.audio.io import load_audio
from mmbench.data.lazy_column import LazyColumn, LazyRef
from mmbench.errors import MmbenchError

__all__ = ["AudioRef", "LazyAudio"]


@dataclass(frozen=True)
class AudioRef(LazyRef):
    """One audio file, read as a mono float32 waveform ``(n_samples,)`` at ``sample_rate`` Hz
    when its samples are asked for."""

    path: Path
    sample_rate: int
    n_samples: int  # at sample_rate, from the file's header when the set was read

    def load(self) -> np.ndarray:
        try:
            wave, _ = load_audio(self.path, self.sample_rate)
        except MmbenchError as exc:
            raise MmbenchError(
                f"{exc} (found when a batch read it: with dataset.kwargs.lazy only each file's "
                "header is checked when the set is read; fix or remove the file)"
            ) from exc
        if len(wave) != self.n_samples:
            raise MmbenchError(
                f"{self.path}: {len(wave)} samples at {self.sample_rate} Hz, but its header "
                f"gave {self.n_samples} when the set was read (did the file change?)"
            )
        return wave


class LazyAudio(LazyColumn):
    """A column of N utterances, ``(N, T_max, n_mels)`` frames or ``(N, S_max)`` samples,
    read from their files when indexed.

    Indexing returns the rows' features zero-padded to the longest of *those rows*;
    ``lengths`` (N,) (T or S per row), ``shape`` and ``len`` need no file.
    """

    def __init__(self, refs: list[AudioRef], features: UtteranceFeatures):
        self.refs = list(refs)
        self.features = features
        self.lengths = torch.tensor(
            [features.length(r.n_samples) for r in self.refs], dtype=torch.long
        )
        longest = int(self.lengths.max()) if self.refs else 0
        self.shape = torch.Size((len(self.refs), longest, *features.frame_shape))

    def read(self, refs: list[AudioRef]) -> torch.Tensor:
        if not refs:
            return torch.zeros((0, 0, *self.shape[2:]))
        return self.features.stack([ref.load() for ref in refs])[0]

    def subset(self, rows: list[int]) -> LazyAudio:
        return LazyAudio([self.refs[i] for i in rows], self.features)
