"""Speech Commands (v0.01 layout): ``<word>/<speaker>_nohash_<n>.wav``, one word per clip, 16 kHz.

Splits follow the dataset's own lists: files named in ``testing_list.txt`` are test, in
``validation_list.txt`` validation, the rest train. ``words`` keeps only some word folders (e.g.
the ten digits); folders starting with ``_`` (background noise) are never read.
"""

from __future__ import annotations

from pathlib import Path

from mmbench.audio.io import AudioReader
from mmbench.data.asr_common import asr_meta, load_rows
from mmbench.data.base import Splits
from mmbench.data.lazy_column import lazy_flag
from mmbench.data.shared_data import dataset_root
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import SAMPLE_RATE, ranges
from mmbench.registry import DATASETS


def _listed(path: Path) -> set[str]:
    return set(path.read_text(encoding="utf-8").split()) if path.is_file() else set()


@DATASETS.register("speech_commands")
@ranges(sample_rate=SAMPLE_RATE)
def speech_commands(
    *,
    task: str,
    root: str | None = None,
    words: list[str] | None = None,
    sample_rate: int = 16000,
    on_error: str = "raise",
    spec_augment: bool | dict | None = None,
    lazy: bool = False,
) -> Splits:
    """Speech Commands clips as one-word utterances, split by the dataset's list files.
    ``lazy``: read each clip when a batch needs it (see :mod:`mmbench.data.lazy_audio`)."""
    lazy = lazy_flag(lazy)
    base = dataset_root(root, "speech-commands-v0.01-sample")
    folders = sorted(p for p in base.glob("*") if p.is_dir() and not p.name.startswith("_"))
    if not folders:
        raise MmbenchError(f"dataset kwargs: root: no word folders in {base}")
    names = [p.name for p in folders]
    unknown = sorted(set(words or []) - set(names))
    if unknown:
        raise MmbenchError(
            f"dataset kwargs: words: unknown {unknown} (available: {', '.join(names)})"
        )
    test, val = _listed(base / "testing_list.txt"), _listed(base / "validation_list.txt")
    rows: dict[str, list[dict]] = {"train": [], "val": [], "test": []}
    for folder in folders:
        if words and folder.name not in words:
            continue
        for f in sorted(folder.glob("*.wav")):
            rel = f"{folder.name}/{f.name}"
            split = "test" if rel in test else "val" if rel in val else "train"
            speaker = f.name.split("_nohash_")[0]
            rows[split].append({"id": rel, "path": f, "text": folder.name, "speaker": speaker})
    reader = AudioReader(sample_rate, on_error)
    splits = [load_rows(rows[s], reader, lazy) for s in ("train", "val", "test")]
    return Splits(*splits, meta=asr_meta(sample_rate, spec_augment, skipped=reader.skipped))


speech_commands.tasks = ("asr",)
