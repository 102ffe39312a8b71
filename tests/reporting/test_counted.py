"""The leaderboard counts one run per configuration and seed (the newest finished one)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mmbench.reporting.counted import counted_runs
from mmbench.reporting.leaderboard import leaderboard


def frame(rows: list[dict]) -> pd.DataFrame:
    base = {"run_name": "r", "tags.mmbench.kind": "train", "metrics.train/epoch_loss": 1.0}
    return pd.DataFrame([{**base, **row} for row in rows])


def test_duplicates_of_a_configuration_and_seed_count_once_the_newest():
    runs = frame(
        [
            {"run_id": "old", "start_time": 1, "tags.mmbench.spec_hash": "h0",
             "tags.mmbench.group": "g", "metrics.test/vqa_acc": 10.0},
            {"run_id": "new", "start_time": 2, "tags.mmbench.spec_hash": "h0",
             "tags.mmbench.group": "g", "metrics.test/vqa_acc": 30.0},
            {"run_id": "seed1", "start_time": 0, "tags.mmbench.spec_hash": "h1",
             "tags.mmbench.group": "g", "metrics.test/vqa_acc": 50.0},
        ]
    )  # fmt: skip
    assert sorted(counted_runs(runs)["run_id"]) == ["new", "seed1"]
    row = leaderboard(runs).table.iloc[0]
    assert row["n"] == 2 and row["test/vqa_acc_mean"] == pytest.approx(40.0)


def test_old_stores_without_spec_hash_fall_back_to_group_and_seed():
    runs = frame(
        [
            {"run_id": "a", "start_time": 1, "tags.mmbench.group": "g", "params.train.seed": "0"},
            {"run_id": "b", "start_time": 5, "tags.mmbench.group": "g", "params.train.seed": "0"},
            {"run_id": "c", "start_time": 3, "tags.mmbench.group": "g", "params.train.seed": "1"},
            {"run_id": "x", "start_time": 4},  # an external run: nothing to tell it apart by
            {"run_id": "y", "start_time": 4},
        ]
    )
    assert sorted(counted_runs(runs)["run_id"]) == ["b", "c", "x", "y"]


def test_superseded_and_diverged_runs_are_not_counted():
    runs = frame(
        [
            {"run_id": "old", "tags.mmbench.spec_hash": "h", "tags.mmbench.superseded_by": "new"},
            {"run_id": "nan", "tags.mmbench.spec_hash": "k", "metrics.train/epoch_loss": math.nan},
            {"run_id": "ok", "tags.mmbench.spec_hash": "m"},
            {"run_id": "ext", "tags.mmbench.kind": "eval", "metrics.train/epoch_loss": math.nan},
        ]
    )
    assert sorted(counted_runs(runs)["run_id"]) == ["ext", "ok"]
