"""LibriSpeech folder layout: ``<root>/<subset>/<speaker>/<chapter>/<speaker>-<chapter>.trans.txt``.

Each transcript line is ``<utterance-id> <TEXT IN CAPITALS>``; the audio is
``<utterance-id>.flac`` beside it. Subsets are folder names (``train-clean-100``, ``dev-clean``,
``test-clean``, or any folder laid out the same way).
"""

from __future__ import annotations

from pathlib import Path

from mmbench.audio.io import AudioReader
from mmbench.data.asr_common import asr_meta, clean_transcript, load_rows
from mmbench.data.base import Splits
from mmbench.data.lazy_column import lazy_flag
from mmbench.data.shared_data import dataset_root
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import SAMPLE_RATE, ranges
from mmbench.registry import DATASETS


def read_subset(folder: Path, limit: int | None = None) -> list[dict]:
    """Rows ``{"id", "path", "text", "speaker"}`` of one subset folder, sorted by id."""
    if not folder.is_dir():
        raise MmbenchError(f"dataset kwargs: LibriSpeech subset folder {folder} does not exist")
    rows = []
    for trans in sorted(folder.glob("*/*/*.trans.txt")):
        for n, line in enumerate(trans.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            utt, _, text = line.strip().partition(" ")
            if not text:
                raise MmbenchError(f"{trans}:{n}: expected '<utterance-id> <text>'")
            rows.append(
                {
                    "id": utt,
                    "path": trans.parent / f"{utt}.flac",
                    "text": clean_transcript(text),
                    "speaker": utt.split("-")[0],
                }
            )
    if not rows:
        raise MmbenchError(f"dataset kwargs: no '*/*/*.trans.txt' transcripts under {folder}")
    return rows[:limit] if limit else rows


@DATASETS.register("librispeech")
@ranges(limit=(1, 10**9), sample_rate=SAMPLE_RATE)
def librispeech(
    *,
    task: str,
    root: str | None = None,
    train: str = "train-clean-100",
    val: str = "dev-clean",
    test: str = "test-clean",
    limit: int | None = None,
    sample_rate: int = 16000,
    on_error: str = "raise",
    spec_augment: bool | dict | None = None,
    lazy: bool = False,
) -> Splits:
    """LibriSpeech subsets as train/val/test (``limit`` utterances each, for smoke runs).
    ``lazy``: read each utterance when a batch needs it (see :mod:`mmbench.data.lazy_audio`)."""
    lazy = lazy_flag(lazy)
    base = dataset_root(root, "LibriSpeech")
    reader = AudioReader(sample_rate, on_error)
    splits = [load_rows(read_subset(base / s, limit), reader, lazy) for s in (train, val, test)]
    return Splits(*splits, meta=asr_meta(sample_rate, spec_augment, skipped=reader.skipped))


librispeech.tasks = ("asr",)
