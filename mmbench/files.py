"""Writing files safely: never outside the folder meant for them, never half-written.

``contained(root, *parts)`` joins user-given names (experiment names, artifact paths) under a
root and refuses any result that resolves outside it (``..``, absolute paths, symlinks out).
``atomic_path(dest)`` yields a temporary name in the destination's own folder and renames it
over ``dest`` only when the writer finished, so an interrupted write leaves the previous file
(or none), never a truncated one, and nothing in the system's temp folder.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from mmbench.errors import MmbenchError

TMP_MARK = ".tmp-"  # temporary files are ".<stem>.tmp-<pid>-<random><suffix>"


def contained(root: str | Path, *parts: str, what: str = "file") -> Path:
    """``root / parts…``, refused with a clear error if it resolves outside ``root``."""
    base = Path(root).resolve()
    path = base.joinpath(*[str(p) for p in parts]).resolve()
    if not path.is_relative_to(base):
        given = "/".join(str(p) for p in parts)
        raise MmbenchError(
            f"'{given}': the {what} would be written outside '{root}' (to '{path}'); use a plain "
            "name without '..', a leading '/' or links that leave the folder"
        )
    return path


def temp_name(dest: Path) -> Path:
    """``.<stem>.tmp-<pid>-<random><suffix>`` beside ``dest`` (the suffix kept for writers
    that choose a format by it)."""
    tag = f"{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}"
    return dest.with_name(f".{dest.stem}{tag}{dest.suffix}")


@contextlib.contextmanager
def atomic_path(dest: str | Path) -> Iterator[Path]:
    """A temporary path beside ``dest``; renamed to ``dest`` when the block ends normally."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(dest)
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:  # failed or interrupted (KeyboardInterrupt too): no half-written file stays
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def atomic_write_text(dest: str | Path, text: str) -> Path:
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(dest)


def remove_temp_files(folder: str | Path, pid: int | str) -> list[Path]:
    """Delete the temporary files process ``pid`` left under ``folder`` (it was killed while
    writing); return them."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [p for p in folder.rglob(f".*{TMP_MARK}{pid}-*") if p.is_file()]
    for path in found:
        with contextlib.suppress(OSError):
            path.unlink()
    return found


def cache_dir(kind: str, override_env: str) -> Path:
    """Where mmbench caches ``kind``: ``$<override_env>``, else ``$MMBENCH_CACHE_DIR/<kind>``,
    else ``~/.cache/mmbench/<kind>``."""
    explicit = os.environ.get(override_env)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("MMBENCH_CACHE_DIR") or Path.home() / ".cache" / "mmbench"
    return Path(base).expanduser() / kind
