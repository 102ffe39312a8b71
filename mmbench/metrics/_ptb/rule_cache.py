"""The PTB lexer's compiled rules, kept on disk between processes.

Compiling the lexer's ~120 patterns costs 0.05–0.1 s (the ``regex`` module parses them in
Python), more than the rest of a first CIDEr-D call on 5,000 images. ``regex`` pickles a compiled
pattern as its compiled code, so reading the patterns back from a pickle takes ~3 ms.

* The file is named by a hash of the ``regex`` and Python versions, the flags and every pattern:
  a change of any of them reads as a miss, and the rules are compiled again.
* It is read with an unpickler that can build nothing but ``regex`` patterns, and only patterns
  whose source matches the one asked for are used.
* Any problem (no file, unreadable, stale, unwritable folder) falls back to compiling; the
  results are the same patterns either way.
* Location: ``$MMBENCH_CACHE_DIR/ptb_rules/`` if set, else ``$XDG_CACHE_HOME/mmbench/ptb_rules/``
  (``~/.cache/mmbench/ptb_rules/``). ``MMBENCH_PTB_RULE_CACHE=0`` turns it off.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path

import regex

log = logging.getLogger(__name__)
FORMAT = 1  # bump when the file's layout changes


def cache_dir() -> Path | None:
    """Where the compiled rules are kept, or None when the cache is turned off."""
    if os.environ.get("MMBENCH_PTB_RULE_CACHE", "1") == "0":
        return None
    root = os.environ.get("MMBENCH_CACHE_DIR")
    if root:
        return Path(root).expanduser() / "ptb_rules"
    xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(xdg).expanduser() / "mmbench" / "ptb_rules"


# The function a pickled pattern is rebuilt with (regex registers it with copyreg).
_REBUILD = copyreg.dispatch_table[regex.Pattern](regex.compile(""))[0]


class _PatternsOnly(pickle.Unpickler):
    """Builds compiled ``regex`` patterns and plain containers, nothing else."""

    def find_class(self, module: str, name: str):
        if (module, name) == (_REBUILD.__module__, _REBUILD.__name__):
            return _REBUILD
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed here")


def _path(patterns: list[str], flags: int) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = repr((FORMAT, regex.__version__, sys.version_info[:2], int(flags), patterns))
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return folder / f"rules-{digest}.pkl"


def _read(path: Path, patterns: list[str], flags: int) -> dict[str, regex.Pattern] | None:
    try:
        loaded = _PatternsOnly(io.BytesIO(path.read_bytes())).load()
    except FileNotFoundError:
        return None
    except Exception as e:  # corrupt or foreign file: compile instead (and overwrite it)
        log.debug("ignoring the PTB rule cache %s: %s", path, e)
        return None
    if (
        not isinstance(loaded, list)
        or len(loaded) != len(patterns)
        or any(
            not isinstance(p, regex.Pattern) or p.pattern != s or p.flags & flags != flags
            for p, s in zip(loaded, patterns)
        )
    ):
        log.debug("ignoring the PTB rule cache %s: other patterns", path)
        return None
    return dict(zip(patterns, loaded))


def _write(path: Path, compiled: list[regex.Pattern]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(compiled, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: concurrent writers leave one whole file
    except OSError as e:
        log.debug("could not write the PTB rule cache %s: %s", path, e)


def compiled(patterns: list[str], flags: int) -> dict[str, regex.Pattern]:
    """``pattern → regex.compile(pattern, flags)`` for every pattern, from the disk if possible."""
    path = _path(patterns, flags)
    if path is not None:
        found = _read(path, patterns, flags)
        if found is not None:
            return found
    out = [regex.compile(p, flags) for p in patterns]
    if path is not None:
        _write(path, out)
    return dict(zip(patterns, out))
