"""LJ Speech layout: ``metadata.csv`` (``id|raw text|normalised text``) and ``wavs/<id>.wav``.

The normalised transcript (numbers spelled out), cleaned to lower-case letters, apostrophes and
spaces, is the reference. Splits: the last ``n_test`` clips (in file order) are test, the
``n_val`` before them validation, the rest train.
"""

from __future__ import annotations

from mmbench.audio.io import AudioReader
from mmbench.data.asr_common import asr_meta, clean_transcript, load_rows
from mmbench.data.base import Splits
from mmbench.data.lazy_column import lazy_flag
from mmbench.data.shared_data import dataset_root
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import SAMPLE_RATE, ranges
from mmbench.registry import DATASETS


@DATASETS.register("ljspeech")
@ranges(n_val=(1, 10**6), n_test=(1, 10**6), sample_rate=SAMPLE_RATE)
def ljspeech(
    *,
    task: str,
    root: str | None = None,
    n_val: int = 2,
    n_test: int = 4,
    sample_rate: int = 16000,
    on_error: str = "raise",
    spec_augment: bool | dict | None = None,
    lazy: bool = False,
) -> Splits:
    """LJ Speech clips (any subset with the same layout; default the shared 32-clip subset).
    ``lazy``: read each clip when a batch needs it (see :mod:`mmbench.data.lazy_audio`)."""
    lazy = lazy_flag(lazy)
    base = dataset_root(root, "ljspeech-32")
    meta_file = base / "metadata.csv"
    if not meta_file.is_file():
        raise MmbenchError(f"dataset kwargs: root: {meta_file} does not exist")
    rows = []
    for n, line in enumerate(meta_file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("|")
        if len(parts) < 2:
            raise MmbenchError(f"{meta_file}:{n}: expected 'id|raw text|normalised text'")
        text = parts[2] if len(parts) > 2 else parts[1]
        rows.append(
            {
                "id": parts[0],
                "path": base / "wavs" / f"{parts[0]}.wav",
                "text": clean_transcript(text),
            }
        )
    if len(rows) <= n_val + n_test:
        raise MmbenchError(
            f"dataset kwargs: {len(rows)} clips cannot give n_val={n_val} and n_test={n_test}"
        )
    cut_val, cut_test = len(rows) - n_test - n_val, len(rows) - n_test
    reader = AudioReader(sample_rate, on_error)
    splits = [
        load_rows(r, reader, lazy)
        for r in (rows[:cut_val], rows[cut_val:cut_test], rows[cut_test:])
    ]
    return Splits(*splits, meta=asr_meta(sample_rate, spec_augment, skipped=reader.skipped))


ljspeech.tasks = ("asr",)
