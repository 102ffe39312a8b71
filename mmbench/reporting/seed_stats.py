"""The leaderboard's statistics: each run's per-example scores → :func:`significance.compare`.

Every training run logs ``scores/<split>_per_example.csv`` (``index``, one column per metric,
``id``). For the headline metric, the report reads those files back, checks that each run's
corpus score follows from them (a mean, or for WER/CER a ratio of summed counts), aligns the runs
on the test example ids they all share, and compares the configurations across seeds and
examples. Configurations without such
files (e.g. external ``mmbench eval --log`` runs) are left out of the comparison.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.errors import MmbenchError
from mmbench.registry import did_you_mean
from mmbench.reporting.artifacts import fetch_all
from mmbench.reporting.significance import (
    MEAN_METRICS,
    RATIO_METRICS,
    Comparison,
    compare,
    matches_corpus,
)

log = logging.getLogger(__name__)

MIN_EXAMPLES = 10


@dataclass
class SeedStats:
    """Statistics of one metric; ``labels[k]`` is the configuration of ``comparison`` row k."""

    metric: str  # e.g. "test/vqa_acc"
    against: str | None = None  # the reference configuration named by the user (None: best)
    labels: list[str] = field(default_factory=list)
    seeds: list[int] = field(default_factory=list)  # runs per compared configuration
    comparison: Comparison | None = None
    note: str = ""  # why there is no comparison, or what was left out

    @property
    def reference_word(self) -> str:
        """How the report names the reference: "best", or the configuration's label."""
        return "best" if self.against is None else self.against

    @property
    def reference(self) -> str | None:
        """Label of the configuration the others were tested against."""
        return None if self.comparison is None else self.labels[self.comparison.reference]

    def row(self, label: str) -> dict[str, float | bool] | None:
        """``ci_low``, ``ci_high``, ``p``, ``different``, ``above`` (than the reference) of a
        configuration, if it was compared."""
        if self.comparison is None or label not in self.labels:
            return None
        k, c = self.labels.index(label), self.comparison
        return {
            "ci_low": float(c.ci_low[k]),
            "ci_high": float(c.ci_high[k]),
            "p": float(c.p[k]),
            "different": bool(c.different()[k]),
            "above": bool(c.mean[k] > c.mean[c.reference]),
        }


def artifact_name(split: str) -> str:
    return f"scores/{split}_per_example.csv"


def _read(local: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(local)
    except (OSError, ValueError) as exc:
        log.warning("skipped unreadable %s: %s", local.name, exc)
        return None


def _numbers(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray | None:
    if any(c not in frame for c in columns):
        return None
    values = frame[list(columns)].apply(pd.to_numeric, errors="coerce")
    return None if values.isna().any().any() else values.to_numpy(np.float64).sum(axis=1)


def _scores(frame: pd.DataFrame, key: str) -> pd.DataFrame | None:
    """The run's per-example ``value`` of ``key`` (for ratio metrics also ``den``), indexed by
    example id; None if unusable."""
    ids = frame["id"] if "id" in frame else frame.get("index")
    if ids is None or ids.duplicated().any():
        return None
    if key in RATIO_METRICS:
        num, den = (_numbers(frame, cols) for cols in RATIO_METRICS[key])
        if num is None or den is None:
            return None
        data = {"value": num, "den": den}
    else:
        value = _numbers(frame, (key,))
        if value is None:
            return None
        data = {"value": value}
    return pd.DataFrame(data, index=ids.astype(str).to_numpy())


def seed_stats(
    runs: pd.DataFrame,
    metric: str,
    uri: str,
    higher_is_better: bool,
    against: str | None = None,
    workers: int = 8,
) -> SeedStats:
    """Compare the configurations of ``runs`` (``leaderboard.configurations`` output) on
    ``metric`` (``<split>/<key>``), in the order they first appear, against the best one or the
    configuration labelled ``against``.

    Raises:
        MmbenchError: ``against`` names no configuration of the runs.
    """
    split, key = metric.split("/", 1)
    out = SeedStats(metric, against)
    labels = sorted(set(runs["_config"].astype(str))) if "_config" in runs else []
    if against is not None and against not in labels:
        raise MmbenchError(
            f"--against: no configuration '{against}'{did_you_mean(against, labels)} "
            f"(configurations: {', '.join(labels) or 'none'})"
        )
    column = f"metrics.{metric}"
    if key not in MEAN_METRICS and key not in RATIO_METRICS:
        out.note = f"{key} is not a mean or a ratio over test examples: no bootstrap over examples"
        return out
    if runs.empty or "artifact_uri" not in runs or column not in runs:
        out.note = "no runs with per-example scores"
        return out
    frames = fetch_all(runs["artifact_uri"], artifact_name(split), uri, _read, workers)
    per_config: dict[str, list[pd.DataFrame]] = {}
    for (_, run), frame in zip(runs.iterrows(), frames):
        scores = None if frame is None else _scores(frame, key)
        if scores is None:
            continue
        rounded = 0.01 if key == "vqa_acc" else 0.0  # per question and overall, as official
        den = scores["den"].to_numpy() if "den" in scores else None
        if not matches_corpus(scores["value"].to_numpy(), float(run[column]), rounded, den):
            out.note = f"{key} does not follow from its per-example scores: no test across examples"
            return out
        per_config.setdefault(str(run["_config"]), []).append(scores)
    if len(per_config) < 2:
        out.note = "fewer than two configurations with per-example scores"
        return out
    common = set.intersection(*(set(s.index) for runs_ in per_config.values() for s in runs_))
    if len(common) < MIN_EXAMPLES:
        out.note = f"the configurations share only {len(common)} test examples"
        return out
    ids = sorted(common)
    out.labels = list(per_config)
    out.seeds = [len(per_config[c]) for c in out.labels]
    if against is not None and against not in per_config:
        out.note = f"'{against}' has no per-example scores to compare with"
        return out

    def stacked(column: str) -> list[np.ndarray]:
        return [
            np.stack([s.loc[ids, column].to_numpy() for s in per_config[c]]) for c in out.labels
        ]

    ref = None if against is None else out.labels.index(against)
    out.comparison = compare(
        stacked("value"),
        higher_is_better=higher_is_better,
        reference=ref,
        denominators=stacked("den") if key in RATIO_METRICS else None,
    )
    notes = []
    largest = max(len(s) for runs_ in per_config.values() for s in runs_)
    if largest > len(ids):
        notes.append(
            f"compared on the {len(ids):,} test examples all runs share (some runs scored "
            f"{largest:,}), so intervals may not contain the means of the whole test sets"
        )
    left_out = sorted(set(runs["_config"].astype(str)) - set(out.labels))
    if left_out:
        notes.append(f"without per-example scores, not compared: {', '.join(left_out)}")
    out.note = "; ".join(notes)
    return out
