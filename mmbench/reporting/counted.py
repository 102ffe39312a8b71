"""Which finished runs a report counts: one per configuration and seed, the newest.

A configuration and seed can have several FINISHED runs in a store: a ``--force`` re-run,
two sweeps started at once by an mmbench without claims, or the same sweep point repeated.
Counting them all would inflate n, shrink the std and the intervals, and make differences
look significant. Tuning trials and their study parents are never counted, only a tuned
spec's final runs (``mmbench.stage=final``). Here a run superseded by a forced re-run (tag) is
dropped; so is a run whose last training loss is not finite (a diverged run that an older
mmbench let finish); and of the rest, one run per spec hash (the configuration with its seed)
is kept: the newest. Runs without a spec hash (older stores, external evaluations) fall back to
configuration + seed; runs with neither are each counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mmbench.tracking import schema

LAST_TRAIN_LOSS = "metrics.train/epoch_loss"


def _column(runs: pd.DataFrame, name: str) -> pd.Series:
    return runs[name] if name in runs else pd.Series(index=runs.index, dtype=object)


def identity(runs: pd.DataFrame) -> pd.Series:
    """The key a run is counted under: its spec hash, else group + seed, else its row."""
    digest = _column(runs, f"tags.{schema.SPEC_HASH}")
    group = _column(runs, f"tags.{schema.GROUP}")
    seed = _column(runs, f"tags.{schema.SEED}").fillna(_column(runs, "params.train.seed"))
    by_seed = "group:" + group.astype(str) + "/seed:" + seed.astype(str)
    by_seed = by_seed.where(group.notna() & seed.notna())
    unique = "row:" + pd.Series(runs.index.astype(str), index=runs.index)
    return ("hash:" + digest.astype(str)).where(digest.notna()).fillna(by_seed).fillna(unique)


def counted_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """``runs`` (one row per finished run) reduced to the runs a leaderboard counts."""
    if runs.empty:
        return runs
    keep = _column(runs, f"tags.{schema.SUPERSEDED_BY}").isna()
    # tuning: only final runs count (trials are scored on validation, never on test)
    stage = _column(runs, f"tags.{schema.STAGE}")
    keep &= stage.isna() | (stage == schema.STAGE_FINAL)
    if LAST_TRAIN_LOSS in runs:  # every training run logs it; NaN in a frame is also "absent"
        loss = pd.to_numeric(runs[LAST_TRAIN_LOSS], errors="coerce").astype(float)
        trained = _column(runs, f"tags.{schema.KIND}") == schema.KIND_TRAIN
        keep &= np.isfinite(loss) | (loss.isna() & ~trained)
    runs = runs[keep]
    order = _column(runs, "start_time").fillna(0).astype(float)
    newest_first = runs.assign(_order=order.values).sort_values("_order", ascending=False)
    kept = newest_first[~identity(newest_first).duplicated()]
    return runs.loc[runs.index.isin(kept.index)]
