"""Where a report reads its runs from: a live MLflow store, or a report folder's bundle.

Every part of a report reads through one of these two, with the same three calls:
``runs(experiment)`` (one row per finished run: ids, tags, metrics, params),
``fetch_all(artifact_uris, name, read)`` (one small artifact of many runs),
``fetch_frames(artifact_uris, name)`` (their per-example score files as DataFrames) and
``curves(run_ids, keys)`` (metric histories), and ``trials(experiment)`` (the tuning trials
of a tuned spec, which never count as runs: :mod:`mmbench.reporting.tuning`). ``StoreSource``
reads MLflow and remembers every file and curve it handed out, so the report can keep them
as its bundle (:mod:`mmbench.reporting.bundle`); ``BundleSource`` serves the same from that
bundle alone, so ``mmbench report --from reports/<exp>/`` gives the same tables without the store.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pandas as pd

from mmbench.errors import MmbenchError
from mmbench.reporting.artifacts import fetch_all
from mmbench.reporting.leaderboard import shown_uri
from mmbench.reporting.runs import runs_frame, trials_frame
from mmbench.tracking import schema

T = TypeVar("T")
CURVE_COLUMNS = ["run_id", "key", "step", "value"]
log = logging.getLogger(__name__)


def read_scores(local: Path) -> pd.DataFrame | None:
    """A run's ``scores/<split>_per_example.csv`` (ids and clusters as strings); None if
    unreadable."""
    try:
        return pd.read_csv(local, dtype={"id": str, "group": str})
    except (OSError, ValueError) as exc:
        log.warning("skipped unreadable %s: %s", local.name, exc)
        return None


class StoreSource:
    """An MLflow store; remembers what it served (``files``, ``curve_frames``) for the bundle."""

    def __init__(self, uri: str | None = None):
        from mmbench.tracking.store import init_store, resolve_uri

        self.uri = resolve_uri(uri)
        self.client = init_store(self.uri)
        self.shown = shown_uri(self.uri)  # the store as the report names it
        self.files: dict[tuple[str, str], str] = {}  # (run id, artifact name) → text
        self.curve_frames: list[pd.DataFrame] = []
        self._run_of: dict[str, str] = {}  # artifact URI → run id
        self._lock = threading.Lock()

    def runs(self, experiment: str) -> pd.DataFrame:
        frame = runs_frame(self.client, experiment)
        if not frame.empty:
            self._run_of.update(zip(frame["artifact_uri"], frame["run_id"]))
        return frame

    def trials(self, experiment: str) -> pd.DataFrame:
        """Every tuning trial run that ended (``trials_frame``), pruned and failed ones too."""
        return trials_frame(self.client, experiment)

    def fetch_all(
        self,
        artifact_uris: Sequence[object],
        name: str,
        read: Callable[[Path], T | None],
        workers: int = 8,
    ) -> list[T | None]:
        uris = list(artifact_uris)

        def keep(i: int, local: Path) -> None:
            run_id = self._run_of.get(str(uris[i]))
            if run_id is not None:
                text = local.read_text(encoding="utf-8", errors="replace")
                with self._lock:
                    self.files[(run_id, name)] = text

        return fetch_all(uris, name, self.uri, read, workers, keep)

    def fetch_frames(
        self, artifact_uris: Sequence[object], name: str, workers: int = 8
    ) -> list[pd.DataFrame | None]:
        """Each run's per-example score file ``name`` as a DataFrame (None where missing)."""
        return self.fetch_all(artifact_uris, name, read_scores, workers)

    def curves(self, run_ids: Sequence[str], keys: Sequence[str]) -> pd.DataFrame:
        rows = [
            (rid, key, m.step, m.value)
            for rid in run_ids
            for key in keys
            for m in self.client.get_metric_history(rid, key)
        ]
        frame = pd.DataFrame(rows, columns=CURVE_COLUMNS)
        self.curve_frames.append(frame)
        return frame


class BundleSource:
    """A report folder's ``runs.parquet`` + ``results.parquet`` + ``manifest.json``."""

    def __init__(self, folder: str | Path):
        from mmbench.reporting.bundle import read_bundle

        self.folder = Path(folder)
        self.bundle = read_bundle(self.folder)
        self.shown = str(self.bundle.manifest.get("store", "a report bundle"))
        self.experiment = str(self.bundle.manifest["experiment"])

    def runs(self, experiment: str | None = None) -> pd.DataFrame:
        if experiment is not None and experiment != self.experiment:
            raise MmbenchError(
                f"{self.folder / 'manifest.json'}: the bundle holds experiment "
                f"'{self.experiment}', not '{experiment}'"
            )
        return self.bundle.runs.copy()

    def trials(self, experiment: str | None = None) -> pd.DataFrame:
        """The bundle's ``trials.parquet``; a bundle written before it existed has only its
        finished trials (in ``runs.parquet``), which come back without a ``status``."""
        if self.bundle.trials is not None:
            return self.bundle.trials.copy()
        runs = self.runs(experiment)
        stage = runs.get(f"tags.{schema.STAGE}", pd.Series(index=runs.index, dtype=object))
        return runs[stage == schema.STAGE_TRIAL].copy()

    def fetch_all(
        self,
        artifact_uris: Sequence[object],
        name: str,
        read: Callable[[Path], T | None],
        workers: int = 8,
    ) -> list[T | None]:
        out: list[T | None] = []
        with tempfile.TemporaryDirectory() as tmp:
            for i, uri in enumerate(artifact_uris):
                text = self.bundle.file(str(uri), name)
                if text is None:
                    out.append(None)
                    continue
                local = Path(tmp) / str(i) / Path(name).name
                local.parent.mkdir(parents=True, exist_ok=True)
                local.write_text(text, encoding="utf-8")
                out.append(read(local))
        return out

    def fetch_frames(
        self, artifact_uris: Sequence[object], name: str, workers: int = 8
    ) -> list[pd.DataFrame | None]:
        """Each run's per-example scores ``name`` straight from ``results.parquet``."""
        return [self.bundle.frame(str(uri), name) for uri in artifact_uris]

    def curves(self, run_ids: Sequence[str], keys: Sequence[str]) -> pd.DataFrame:
        rows = [
            (rid, key, int(step), float(value))
            for rid in run_ids
            for key in keys
            for step, value in self.bundle.curves.get((str(rid), key), [])
        ]
        return pd.DataFrame(rows, columns=CURVE_COLUMNS)


RunSource = StoreSource | BundleSource
