"""A disk cache for built-in *generated* datasets: each is made once per distinct set of kwargs.

A generated dataset (``shapes``, ``shapes_captions``, ``scene_summaries``…) is a pure function of
its kwargs and of mmbench's data code, so a sweep need not draw the same 5,000 scenes again for
every point, seed and worker: the demo's 12 runs spent about 7 s each on it. A builder opts in
with ``@generated``; builders that read files (real datasets, folders) never do — their files
could change under the same kwargs.

Key: SHA-256 of the builder's name, the task, the kwargs (canonical JSON), mmbench's version,
the numpy version and the source of every module in ``mmbench.data`` (a code change is a miss).
Entries are pickles written atomically under ``$MMBENCH_DATASET_CACHE_DIR``, else
``<mmbench cache dir>/datasets``; a damaged entry is regenerated and replaced, never fatal.
``MMBENCH_DATASET_CACHE=off`` turns the cache off. The cache holds only what mmbench itself
wrote: as with any pickle, do not put files from elsewhere there.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import numpy as np

import mmbench
from mmbench.data.base import Splits
from mmbench.files import atomic_path, cache_dir

log = logging.getLogger(__name__)
OFF = ("off", "0", "false", "no")


def generated(builder: Callable[..., Splits]) -> Callable[..., Splits]:
    """Mark ``builder`` as a pure function of its kwargs (its output may be cached)."""
    builder.generated = True  # type: ignore[attr-defined]
    return builder


def cache_root() -> Path:
    return cache_dir("datasets", "MMBENCH_DATASET_CACHE_DIR")


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """SHA-256 over the source files of ``mmbench.data`` (sorted by name)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_key(name: str, task: str, kwargs: dict) -> str:
    what = {
        "name": name,
        "task": task,
        "kwargs": kwargs,
        "mmbench": mmbench.__version__,
        "numpy": np.__version__,
        "code": _code_digest(),
    }
    text = json.dumps(what, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def enabled() -> bool:
    return os.environ.get("MMBENCH_DATASET_CACHE", "on").strip().lower() not in OFF


def build_cached(builder: Callable[..., Splits], task: str, kwargs: dict) -> Splits:
    """``builder(task=task, **kwargs)``, read from the cache when it was made before."""
    if not getattr(builder, "generated", False) or not enabled():
        return builder(task=task, **kwargs)
    name = getattr(builder, "registered_name", builder.__name__)
    path = cache_root() / f"{name}-{entry_key(name, task, kwargs)}.pkl"
    if path.is_file():
        try:
            with path.open("rb") as f:
                splits = pickle.load(f)
            if isinstance(splits, Splits):
                return splits
            log.warning("dataset cache entry %s is not a dataset; regenerating", path.name)
        except Exception as exc:  # damaged or truncated by a crash: make it again
            log.warning("dataset cache entry %s unreadable (%s); regenerating", path.name, exc)
    splits = builder(task=task, **kwargs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp, tmp.open("wb") as f:
            pickle.dump(splits, f, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as exc:  # a read-only or full disk: the run goes on uncached
        log.warning("could not write the dataset cache (%s): %s", path.parent, exc)
    return splits
