"""Reading JSON and JSON-lines input with bounded time and memory.

Shared by ``mmbench eval`` (:mod:`mmbench.formats.readers`) and the dataset loaders that read
JSON (COCO captions, VQA v2, easy-VQA, NeMo manifests, summarization jsonl):

- an input must be a regular file (a FIFO would block forever, ``/dev/zero`` never ends) of at
  most ``max_input_bytes()`` (``$MMBENCH_MAX_INPUT_BYTES``, default 4 GiB: the largest official
  annotation files are a few hundred MB);
- JSON nested deeper than the interpreter's recursion limit (about 1,000 levels; real files have
  fewer than 10) and a document too large for memory give one clear error instead of a
  ``RecursionError`` or ``MemoryError`` traceback.

``json.JSONDecodeError`` is left to the caller, whose message names the file and line in its own
words.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from mmbench.errors import MmbenchError

DEFAULT_MAX_INPUT_BYTES = 4 << 30


def max_input_bytes() -> int:
    raw = os.environ.get("MMBENCH_MAX_INPUT_BYTES", "")
    try:
        return int(raw) if raw.strip() else DEFAULT_MAX_INPUT_BYTES
    except ValueError:
        raise MmbenchError(
            f"$MMBENCH_MAX_INPUT_BYTES: {raw[:40]!r} is not a whole number of bytes"
        ) from None


def input_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as an input file (a directory, a device, too big), or None.

    A missing file is reported by the caller, in its own words.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot read ({exc.strerror})"
    if stat.S_ISDIR(info.st_mode):
        return "is a directory, expected a file"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device, FIFO or socket); expected a file"
    limit = max_input_bytes()
    if info.st_size > limit:
        return (
            f"is {info.st_size:,} bytes; the limit is {limit:,} bytes "
            "(raise it with $MMBENCH_MAX_INPUT_BYTES)"
        )
    return None


def check_input_file(path: Path) -> None:
    """Raise ``MmbenchError`` naming ``path`` if it is not a readable regular file within limits."""
    problem = input_file_problem(path)
    if problem:
        raise MmbenchError(f"{path}: {problem}")


def read_input_text(path: Path) -> str:
    """The UTF-8 text of an input file (checked as above; a BOM is dropped)."""
    check_input_file(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MmbenchError(f"{path}: file not found") from None
    except MemoryError:
        raise MmbenchError(f"{path}: too large to read into memory") from None
    except OSError as exc:
        raise MmbenchError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MmbenchError(
            f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from None


def loads(text: str, where: str) -> Any:
    """``json.loads(text)``; too deep or too big → ``MmbenchError`` naming ``where``."""
    try:
        return json.loads(text)
    except RecursionError:
        raise MmbenchError(
            f"{where}: JSON nested too deeply (more than about {_depth_limit():,} levels); "
            "prediction and annotation files are a few levels deep"
        ) from None
    except MemoryError:
        raise MmbenchError(f"{where}: JSON too large to load into memory") from None


def _depth_limit() -> int:
    import sys

    return sys.getrecursionlimit()
