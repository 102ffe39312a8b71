"""The leaderboard's statistics: each run's per-example scores → :func:`mmbench.stats.compare`.

Every training run logs ``scores/<split>_per_example.csv`` (``index``, one column per metric,
``id`` and, where the task has one, ``group``: the example's cluster — image, speaker,
document). For the headline metric, the report reads those files back, checks that each run's
corpus score follows from them (a mean, or for WER/CER a ratio of summed counts), aligns the runs
on the test example ids they all share, and compares the configurations across seeds and
examples, with the clusters as the independent units when every run logged the same ones.
Configurations without such files (e.g. external ``mmbench eval --log`` runs) are left out.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mmbench.errors import MmbenchError
from mmbench.registry import did_you_mean
from mmbench.reporting.significance import matches_corpus, ratio_counts, rounding, testable
from mmbench.stats import compare

log = logging.getLogger(__name__)

MIN_EXAMPLES = 10


@dataclass
class Aligned:
    """The compared runs' per-example scores, aligned on the shared test example ``ids``."""

    ids: list[str]
    scores: dict[str, np.ndarray]  # configuration → (seeds, examples)
    denominators: dict[str, np.ndarray] | None = None  # ratio metrics only
    clusters: np.ndarray | None = None  # (examples,) cluster ids, when every run logged them


@dataclass
class SeedStats:
    """Statistics of one metric; ``table`` is :func:`mmbench.stats.compare`'s DataFrame."""

    metric: str  # e.g. "test/vqa_acc"
    against: str | None = None  # the reference named by the user or the spec (None: best)
    labels: list[str] = field(default_factory=list)
    seeds: list[int] = field(default_factory=list)  # runs per compared configuration
    table: pd.DataFrame | None = None
    aligned: Aligned | None = None  # what was compared (reused by the breakdown's tests)
    higher_is_better: bool = True
    note: str = ""  # why there is no comparison, or what was left out
    source: str = ""  # where ``against`` came from: "--against" or "report.baseline"

    @property
    def comparison(self) -> pd.DataFrame | None:
        return self.table

    @property
    def reference_word(self) -> str:
        """How the report names the reference: "best", or the configuration's label."""
        return "best" if self.against is None else self.against

    @property
    def reference(self) -> str | None:
        """Label of the configuration the others were tested against."""
        return None if self.table is None else str(self.table.attrs["reference"])

    @property
    def tested(self) -> bool:
        """Whether any test was made (none when every comparison lacks a second seed)."""
        return self.table is not None and bool(self.table["p"].notna().any())

    def row(self, label: str) -> dict[str, float | bool | str] | None:
        """The statistics of a configuration, if it was compared: ``ci_low``, ``ci_high``,
        ``p``, ``different`` (significant vs the reference), ``above`` (the reference), ``tied``,
        ``covers``, ``p_improvement`` (with ``_low``/``_high``), ``seeds_needed``, ``note``."""
        if self.table is None or label not in self.table.index:
            return None
        r = self.table.loc[label]
        tied = r["tied_with_best"]
        return {
            "ci_low": float(r["ci_low"]),
            "ci_high": float(r["ci_high"]),
            "p": float(r["p"]),
            "different": bool(r["significant"]),
            "above": bool(r["delta"] > 0),
            "tied": None if pd.isna(tied) else bool(tied),
            "covers": str(r["interval_covers"]),
            "is_reference": bool(r["is_reference"]),
            "p_improvement": float(r["p_improvement"]),
            "p_improvement_low": float(r["p_improvement_low"]),
            "p_improvement_high": float(r["p_improvement_high"]),
            "seeds_needed": float(r["seeds_needed"]),
            "delta": float(r["delta"]),
            "note": str(r["note"] or ""),
        }


def artifact_name(split: str) -> str:
    return f"scores/{split}_per_example.csv"


def _numbers(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray | None:
    if any(c not in frame for c in columns):
        return None
    values = frame[list(columns)]
    if not all(pd.api.types.is_numeric_dtype(values[c]) for c in columns):
        values = values.apply(pd.to_numeric, errors="coerce")
    array = values.to_numpy(np.float64, na_value=np.nan)
    return None if np.isnan(array).any() else array.sum(axis=1)


def _scores(frame: pd.DataFrame, key: str) -> pd.DataFrame | None:
    """The run's per-example ``value`` of ``key`` (for ratio metrics also ``den``; ``group``
    when logged), indexed by example id; None if unusable."""
    ids = frame["id"] if "id" in frame else frame.get("index")
    if ids is None or ids.duplicated().any():
        return None
    counts = ratio_counts(key)
    if counts is not None:
        num, den = (_numbers(frame, cols) for cols in counts)
        if num is None or den is None:
            return None
        data = {"value": num, "den": den}
    else:
        value = _numbers(frame, (key,))
        if value is None:
            return None
        data = {"value": value}
    if "group" in frame and not frame["group"].isna().any():
        data["group"] = frame["group"].astype(str).to_numpy()
    return pd.DataFrame(data, index=ids.astype(str).to_numpy())


def _clusters(runs_: list[pd.DataFrame], ids: list[str]) -> np.ndarray | None:
    """The shared examples' cluster ids, if every run logged the same ones."""
    if any("group" not in s for s in runs_):
        return None
    first = runs_[0].loc[ids, "group"].to_numpy()
    if any(not np.array_equal(s.loc[ids, "group"].to_numpy(), first) for s in runs_[1:]):
        return None
    return first


def check_against(against: str | None, labels: list[str], key: str = "--against") -> None:
    """Raise if ``against`` names no configuration (``key``: the option or spec key)."""
    if against is not None and against not in labels:
        raise MmbenchError(
            f"{key}: no configuration '{against}'{did_you_mean(against, labels)} "
            f"(configurations: {', '.join(labels) or 'none'})"
            + ("; pass another with --against" if "report.baseline" in key else "")
        )


def seed_stats(
    runs: pd.DataFrame,
    metric: str,
    origin,
    higher_is_better: bool,
    against: str | None = None,
    workers: int = 8,
    source: str = "--against",
) -> SeedStats:
    """Compare the configurations of ``runs`` (``leaderboard.configurations`` output) on
    ``metric`` (``<split>/<key>``), their files read through ``origin``
    (``reporting.source``), in the order they first appear, against the configuration labelled
    ``against`` (from ``source``: ``--against`` or the spec's ``report.baseline``) or, with
    none, with every pair tested and the best chosen from the data.

    Raises:
        MmbenchError: ``against`` names no configuration of the runs.
    """
    split, key = metric.split("/", 1)
    out = SeedStats(metric, against, higher_is_better=higher_is_better, source=source)
    labels = sorted(set(runs["_config"].astype(str))) if "_config" in runs else []
    check_against(against, labels, source)
    column = f"metrics.{metric}"
    if not testable(key):
        out.note = f"{key} is not a mean or a ratio over test examples: no test across examples"
        return out
    if runs.empty or "artifact_uri" not in runs or column not in runs:
        out.note = "no runs with per-example scores"
        return out
    frames = origin.fetch_frames(runs["artifact_uri"], artifact_name(split), workers)
    per_config: dict[str, list[pd.DataFrame]] = {}
    for (_, run), frame in zip(runs.iterrows(), frames):
        scores = None if frame is None else _scores(frame, key)
        if scores is None:
            continue
        rounded = rounding(key)  # VQA: per question and overall, as official
        den = scores["den"].to_numpy() if "den" in scores else None
        if not matches_corpus(scores["value"].to_numpy(), float(run[column]), rounded, den):
            out.note = f"{key} does not follow from its per-example scores: no test across examples"
            return out
        per_config.setdefault(str(run["_config"]), []).append(scores)
    if len(per_config) < 2:
        out.note = "fewer than two configurations with per-example scores"
        return out
    all_runs = [s for runs_ in per_config.values() for s in runs_]
    common = all_runs[0].index
    for s in all_runs[1:]:
        common = common if s.index.equals(common) else common.intersection(s.index)
    if len(common) < MIN_EXAMPLES:
        out.note = f"the configurations share only {len(common)} test examples"
        return out
    ids = sorted(common)
    order = pd.Index(ids)
    out.labels = list(per_config)
    out.seeds = [len(per_config[c]) for c in out.labels]
    if against is not None and against not in per_config:
        out.note = f"'{against}' has no per-example scores to compare with"
        return out

    def stacked(col: str) -> dict[str, np.ndarray]:
        return {
            c: np.stack([s[col].to_numpy()[s.index.get_indexer(order)] for s in per_config[c]])
            for c in out.labels
        }

    out.aligned = Aligned(
        ids,
        stacked("value"),
        stacked("den") if ratio_counts(key) else None,
        _clusters(all_runs, ids),
    )
    out.table = compare(
        out.aligned.scores,
        reference=against,
        groups=out.aligned.clusters,
        higher_is_better=higher_is_better,
        denominators=out.aligned.denominators,
    )
    notes = []
    largest = max(len(s) for s in all_runs)
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


def fmt_p(p: float) -> str:
    """A p-value cell: analytic tests have no resampling floor, so small ones read "< 0.001"."""
    if math.isnan(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"
