"""An experiment's results as one tidy pandas DataFrame, for notebooks: ``mmbench.results``.

``per="run"``: one row per counted run (the newest finished run of each configuration and seed,
as the leaderboard counts them) with ``run_id``, ``configuration`` (the leaderboard's row label),
``seed``, ``task``, then every final metric (``test/…``, ``val/…``, ``cost/…``) and param
(``params.…``). ``per="example"``: one row per counted run and test example with ``run_id``,
``configuration``, ``seed``, ``id``, ``group`` (the example's cluster: image, speaker,
document) and one column per per-example score (for WER/CER also the error and word counts).
Both read the store, or with ``bundle`` a report folder alone (:mod:`mmbench.reporting.bundle`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mmbench.errors import MmbenchError
from mmbench.registry import did_you_mean
from mmbench.reporting.leaderboard import configurations
from mmbench.reporting.seed_stats import artifact_name
from mmbench.reporting.source import BundleSource, StoreSource
from mmbench.tracking import schema

PER = ("run", "example")
KEYS = ["run_id", "configuration", "seed"]


def _seed(frame: pd.DataFrame) -> pd.Series:
    col = f"tags.{schema.SEED}"
    seeds = frame[col] if col in frame else frame.get("params.train.seed")
    if seeds is None:
        return pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return pd.to_numeric(seeds, errors="coerce").astype("Int64")


def results(
    experiment: str | None = None,
    uri: str | None = None,
    per: str = "run",
    split: str = "test",
    bundle: str | Path | None = None,
) -> pd.DataFrame:
    """The counted runs of ``experiment`` (or of the report folder ``bundle``) as a tidy
    DataFrame, one row per run (``per="run"``) or per run and test example (``"example"``).

    Raises:
        MmbenchError: an unknown ``per``, experiment or bundle; no runs.
    """
    if per not in PER:
        raise MmbenchError(f"per: '{per}' is not one of {', '.join(PER)}{did_you_mean(per, PER)}")
    origin = BundleSource(bundle) if bundle is not None else StoreSource(uri)
    if experiment is None:
        if not isinstance(origin, BundleSource):
            raise MmbenchError("results: name an experiment, or a report bundle")
        experiment = origin.experiment
    runs = origin.runs(experiment)
    if runs.empty:
        raise MmbenchError(f"experiment '{experiment}' has no finished runs")
    configs = configurations(runs).reset_index(drop=True)
    table = pd.DataFrame(
        {
            "run_id": configs["run_id"].astype(str),
            "configuration": configs["_config"].astype(str),
            "seed": _seed(configs),
            "task": configs.get(f"tags.{schema.TASK}", pd.Series(pd.NA, index=configs.index)),
        }
    )
    if per == "run":
        metrics = sorted(c for c in configs if c.startswith("metrics."))
        params = sorted(c for c in configs if c.startswith("params."))
        values = configs[metrics].rename(columns=lambda c: c[len("metrics.") :])
        return pd.concat([table, values, configs[params]], axis=1)
    frames = origin.fetch_frames(configs["artifact_uri"], artifact_name(split))
    parts = []
    for i, frame in enumerate(frames):
        if frame is None:
            continue
        frame = frame.drop(columns=[c for c in ("index",) if c in frame])
        keys = {k: table.at[i, k] for k in KEYS}
        parts.append(frame.assign(**keys)[KEYS + list(frame.columns)])
    if not parts:
        raise MmbenchError(
            f"experiment '{experiment}': no run logged per-example scores ({artifact_name(split)})"
        )
    return pd.concat(parts, ignore_index=True)
