"""What every ASR dataset builder shares: the metadata the ``asr`` task reads, text cleaning."""

from __future__ import annotations

import re
from pathlib import Path

from mmbench.data.lazy_audio import AudioRef
from mmbench.errors import MmbenchError

DEFAULT_SPEC_AUGMENT = {"freq_masks": 2, "freq_width": 6, "time_masks": 2, "time_width": 10}
_NOT_TEXT = re.compile(r"[^a-z' ]+")


def asr_meta(
    sample_rate: int,
    spec_augment: bool | dict | None = None,
    n_mels: int = 40,
    skipped: list[str] | None = None,
    **extra,
) -> dict:
    """``Splits.meta`` for the ``asr`` task: the common sample rate (Hz), mel channels, the
    SpecAugment settings used in training (``true`` = defaults, a dict overrides them, None/false
    = off) and the audio files skipped as unreadable (with ``on_error: skip``)."""
    if sample_rate <= 0:
        raise MmbenchError(f"dataset kwargs: sample_rate: {sample_rate} must be positive")
    if spec_augment is True:
        augment = dict(DEFAULT_SPEC_AUGMENT)
    elif isinstance(spec_augment, dict):
        unknown = sorted(set(spec_augment) - set(DEFAULT_SPEC_AUGMENT))
        if unknown:
            raise MmbenchError(
                f"dataset kwargs: spec_augment: unknown keys {unknown} "
                f"(allowed: {', '.join(DEFAULT_SPEC_AUGMENT)})"
            )
        augment = {**DEFAULT_SPEC_AUGMENT, **spec_augment}
    else:
        augment = None
    return {
        "sample_rate": int(sample_rate),
        "n_mels": int(n_mels),
        "spec_augment": augment,
        "skipped": list(skipped or []),
        "n_skipped": len(skipped or []),
        **extra,
    }


def clean_transcript(text: str) -> str:
    """Lower-case; keep letters, apostrophes, single spaces: "In 1465, Print!" → "in print"."""
    return " ".join(_NOT_TEXT.sub(" ", text.lower()).split())


def load_rows(rows: list[dict], reader, lazy: bool = False) -> list[dict]:
    """Examples from rows ``{"id", "path", "text", "speaker"?}``: the audio read by ``reader``
    (an :class:`mmbench.audio.io.AudioReader`); rows whose file was skipped are left out.

    ``lazy``: only each file's header is read now, and the example's audio is an
    :class:`mmbench.data.lazy_audio.AudioRef` read when a batch needs it.
    """
    out = []
    for row in rows:
        if lazy:
            n = reader.length(row["path"])
            audio = None if n is None else AudioRef(Path(row["path"]), reader.sample_rate, n)
        else:
            audio = reader(row["path"])
        if audio is not None:
            out.append({**{k: v for k, v in row.items() if k != "path"}, "audio": audio})
    return out
