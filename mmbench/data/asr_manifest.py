"""NeMo-style ASR manifests: one JSON object per line, ``audio_filepath``, ``text``, ``duration``.

    {"audio_filepath": "wavs/a.wav", "text": "three one four", "duration": 1.52}

A relative ``audio_filepath`` is read relative to the manifest's folder. ``duration`` (seconds)
is optional here; with ``max_duration`` longer utterances are left out.
"""

from __future__ import annotations

import json
from pathlib import Path

from mmbench.audio.io import AudioReader
from mmbench.data.asr_common import asr_meta, clean_transcript, load_rows
from mmbench.data.base import Splits
from mmbench.data.lazy_column import lazy_flag
from mmbench.errors import MmbenchError
from mmbench.json_input import loads, read_input_text
from mmbench.kwarg_checks import SAMPLE_RATE, ranges
from mmbench.registry import DATASETS


def read_manifest(
    path: str | Path, clean_text: bool = True, max_duration: float | None = None
) -> list[dict]:
    """Rows ``{"id", "path", "text"}`` of a manifest; a malformed line raises naming file:line."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise MmbenchError(f"dataset kwargs: manifest {path} does not exist")
    rows = []
    for n, line in enumerate(read_input_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = loads(line, f"{path}:{n}")
        except json.JSONDecodeError as exc:
            raise MmbenchError(f"{path}:{n}: not a JSON object ({exc.msg})") from exc
        if not isinstance(item, dict) or "audio_filepath" not in item or "text" not in item:
            raise MmbenchError(f"{path}:{n}: needs keys 'audio_filepath' and 'text'")
        duration = item.get("duration")
        if duration is not None and not isinstance(duration, (int, float)):
            raise MmbenchError(
                f"{path}:{n}: duration must be a number of seconds, got {duration!r}"
            )
        if max_duration is not None and duration is not None and duration > max_duration:
            continue
        audio = Path(item["audio_filepath"]).expanduser()
        text = str(item["text"])
        rows.append(
            {
                "id": str(item.get("id", audio.stem)),
                "path": audio if audio.is_absolute() else path.parent / audio,
                "text": clean_transcript(text) if clean_text else text,
                "speaker": str(item.get("speaker", "")),
            }
        )
    return rows


def write_manifest(rows: list[dict], path: str | Path) -> Path:
    """Write rows ``{"audio_filepath", "text", "duration", …}`` as a manifest (one JSON a line)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@DATASETS.register("asr_manifest")
@ranges(max_duration=(0.01, 86_400.0), sample_rate=SAMPLE_RATE)
def asr_manifest(
    *,
    task: str,
    train: str = "",
    val: str = "",
    test: str = "",
    clean_text: bool = True,
    max_duration: float | None = None,
    sample_rate: int = 16000,
    on_error: str = "raise",
    spec_augment: bool | dict | None = None,
    lazy: bool = False,
) -> Splits:
    """Three NeMo-style manifests (paths) → splits; audio resampled to ``sample_rate``.

    ``clean_text`` lower-cases and keeps letters, apostrophes and spaces; ``on_error: skip``
    leaves unreadable audio out (counted in the run's dataset meta) instead of failing.
    ``lazy``: check each file's header now and read its audio when a batch needs it (sets
    larger than memory; see :mod:`mmbench.data.lazy_audio` and ``train.num_workers``).
    """
    lazy = lazy_flag(lazy)
    missing = [k for k, v in (("train", train), ("val", val), ("test", test)) if not v]
    if missing:
        raise MmbenchError(
            f"dataset kwargs: asr_manifest needs manifest paths for {', '.join(missing)}"
        )
    reader = AudioReader(sample_rate, on_error)
    splits = [
        load_rows(read_manifest(p, clean_text, max_duration), reader, lazy)
        for p in (train, val, test)
    ]
    return Splits(*splits, meta=asr_meta(sample_rate, spec_augment, skipped=reader.skipped))


asr_manifest.tasks = ("asr",)
