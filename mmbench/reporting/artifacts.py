"""Fetch one small artifact from many runs at once (for the report's per-run files).

Each run's file is downloaded from its artifact URI (no extra run lookup), a few at a time,
into a temporary folder; ``read`` turns the local copy into a value. A run without the file,
or with one ``read`` rejects, gives None.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from mlflow.artifacts import download_artifacts
from mlflow.exceptions import MlflowException

log = logging.getLogger(__name__)

PROGRESS_BAR = "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"
T = TypeVar("T")


@contextlib.contextmanager
def no_progress_bars() -> Iterator[None]:
    """MLflow draws a progress bar per download; 45 of them would bury the report's output."""
    before = os.environ.get(PROGRESS_BAR)
    if before is None:
        os.environ[PROGRESS_BAR] = "false"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PROGRESS_BAR, None)


def download(artifact_uri: str, name: str, uri: str, dst: Path) -> Path | None:
    """Local copy of ``<artifact_uri>/<name>``; None if the run has no such file."""
    try:
        local = download_artifacts(f"{artifact_uri}/{name}", dst_path=str(dst), tracking_uri=uri)
    except (MlflowException, OSError) as exc:  # the usual case: the run has no such artifact
        log.debug("no %s under %s: %s", name, artifact_uri, exc)
        return None
    return Path(local)


def fetch_all(
    artifact_uris: Sequence[object],
    name: str,
    uri: str,
    read: Callable[[Path], T | None],
    workers: int = 8,
    keep: Callable[[int, Path], None] | None = None,
) -> list[T | None]:
    """``read(local copy)`` of ``name`` for each run (None where missing or rejected);
    ``keep(i, local copy)``, if given, sees each downloaded file first (the report bundle)."""
    uris = list(artifact_uris)
    if not uris:
        return []
    with tempfile.TemporaryDirectory() as tmp, no_progress_bars():

        def one(i: int) -> T | None:
            if not isinstance(uris[i], str):
                return None
            local = download(uris[i], name, uri, Path(tmp) / str(i))
            if local is None:
                return None
            if keep is not None:
                keep(i, local)
            return read(local)

        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(uris)))) as pool:
            return list(pool.map(one, range(len(uris))))
