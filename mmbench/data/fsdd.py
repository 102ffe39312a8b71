"""Free Spoken Digit Dataset (FSDD): ``recordings/{digit}_{speaker}_{index}.wav``, 8 kHz mono.

Transcripts are the digit words ("seven"). Splits: by default the official one (indices 0–4 of
every digit and speaker are test); with ``test_speakers`` those speakers form the test split and
never appear in training (held-out real speakers). Validation: a seeded ``val_fraction`` of the
remaining training files.
"""

from __future__ import annotations

import re

import numpy as np

from mmbench.audio.io import AudioReader
from mmbench.data.asr_common import asr_meta, load_rows
from mmbench.data.base import Splits
from mmbench.data.lazy_column import lazy_flag
from mmbench.data.shared_data import dataset_root
from mmbench.data.spoken_digits import WORDS, add_split_noise
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import SAMPLE_RATE, SEED, ranges
from mmbench.registry import DATASETS

_NAME = re.compile(r"^(\d)_([A-Za-z]+)_(\d+)\.wav$")


@DATASETS.register("fsdd")
@ranges(
    val_fraction=(0.0, 0.9),
    limit=(1, 10**9),
    snr_db=(-20.0, 100.0),
    sample_rate=SAMPLE_RATE,
    seed=SEED,
)
def fsdd(
    *,
    task: str,
    root: str | None = None,
    test_speakers: list[str] | None = None,
    val_fraction: float = 0.1,
    limit: int | None = None,
    snr_db: float | None = None,
    sample_rate: int = 16000,
    on_error: str = "raise",
    spec_augment: bool | dict | None = None,
    seed: int = 0,
    lazy: bool = False,
) -> Splits:
    """FSDD recordings as one-word utterances (see the module docstring).

    ``limit`` keeps at most that many training files (seeded choice), for quick runs;
    ``snr_db`` adds white noise to every split. ``lazy``: read each file's audio when a batch
    needs it (see :mod:`mmbench.data.lazy_audio`).
    """
    if lazy_flag(lazy) and snr_db is not None:
        raise MmbenchError(
            "dataset.kwargs.snr_db: fsdd adds this noise to waveforms held in memory, not to "
            "lazily read ones (lazy: true); leave one of them out, or add the noise with "
            "train.corruptions / eval.corruptions (white_noise)"
        )
    folder = dataset_root(root, "fsdd") / "recordings"
    files = sorted(folder.glob("*.wav")) if folder.is_dir() else []
    if not files:
        raise MmbenchError(f"dataset kwargs: root: no FSDD recordings (*.wav) in {folder}")
    rows, held = {"train": [], "test": []}, set(test_speakers or [])
    speakers = set()
    for f in files:
        m = _NAME.match(f.name)
        if not m:
            continue
        digit, speaker, index = int(m[1]), m[2], int(m[3])
        speakers.add(speaker)
        is_test = speaker in held if held else index < 5
        row = {"id": f.stem, "path": f, "text": WORDS[digit], "speaker": speaker}
        rows["test" if is_test else "train"].append(row)
    unknown = sorted(held - speakers)
    if unknown:
        raise MmbenchError(
            f"dataset kwargs: test_speakers: unknown {unknown} "
            f"(speakers: {', '.join(sorted(speakers))})"
        )
    rng = np.random.default_rng(seed)
    train = [rows["train"][i] for i in rng.permutation(len(rows["train"]))]
    n_val = int(round(val_fraction * len(train)))
    val, train = train[:n_val], train[n_val:]
    if limit:
        train = train[:limit]
    reader = AudioReader(sample_rate, on_error)
    examples = {
        s: load_rows(r, reader, lazy)
        for s, r in (("train", train), ("val", val), ("test", rows["test"]))
    }
    add_split_noise(examples, snr_db, seed)
    meta = asr_meta(sample_rate, spec_augment, skipped=reader.skipped, source="fsdd")
    return Splits(examples["train"], examples["val"], examples["test"], meta)


fsdd.tasks = ("asr",)
