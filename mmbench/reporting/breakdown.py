"""Per-group scores (e.g. VQA accuracy per question type): one table per metric and grouping.

Each training run logs ``scores/<split>_breakdown.json`` shaped
``{metric: {kind: {category: score}}}``, e.g. ``{"vqa_acc": {"question_type": {"count": 41.9}}}``.
Here the runs' breakdowns become, per (metric, kind), one row per configuration and one column
per category, each cell the mean ± sample std over the configuration's seeds. Pure: the records
come from :mod:`mmbench.reporting.breakdown_artifacts` or from a test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from mmbench.files import atomic_path, atomic_write_text
from mmbench.reporting.leaderboard import higher_is_better
from mmbench.reporting.markdown import md_code, md_text

Breakdown = Mapping[str, Mapping[str, Mapping[str, float]]]  # metric → kind → category → score


class BreakdownRecord(NamedTuple):
    """One run: its configuration's row label and id, and its breakdown (None: it logged none)."""

    label: str
    group: str
    breakdown: Breakdown | None


@dataclass
class BreakdownTable:
    """Scores of ``metric`` per category of ``kind``; rows are configurations (index: label)."""

    metric: str  # e.g. "vqa_acc"
    kind: str  # e.g. "question_type"
    mean: pd.DataFrame  # (configurations, categories); NaN where no run of the row has it
    std: pd.DataFrame  # same shape; sample std (ddof=1), NaN where fewer than 2 values
    count: pd.DataFrame  # same shape; number of runs behind each cell
    n: pd.Series  # runs with this breakdown per configuration

    def to_markdown(self, digits: int = 2) -> str:
        up = higher_is_better(self.metric)
        cats = list(self.mean.columns)
        header = ["Configuration", "seeds", *(_cell(c) for c in cats)]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        best = self.mean.max() if up else self.mean.min()  # per column, NaN skipped
        for label in self.mean.index:
            cells = [_cell(label), str(int(self.n[label]))]
            for c in cats:
                mean, std = self.mean.at[label, c], self.std.at[label, c]
                if pd.isna(mean):
                    cells.append("–")
                    continue
                text = f"{mean:.{digits}f}" + (f" ± {std:.{digits}f}" if not pd.isna(std) else "")
                cells.append(f"**{text}**" if np.isclose(mean, best[c]) else text)
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def long(self) -> pd.DataFrame:
        """Tidy rows: metric, kind, label, category, n, mean, std (missing cells left out)."""
        rows = []
        for label in self.mean.index:
            for c in self.mean.columns:
                if pd.isna(self.mean.at[label, c]):
                    continue
                rows.append(
                    {
                        "metric": self.metric,
                        "kind": self.kind,
                        "label": label,
                        "category": c,
                        "n": int(self.count.at[label, c]),
                        "mean": self.mean.at[label, c],
                        "std": self.std.at[label, c],
                    }
                )
        return pd.DataFrame(
            rows, columns=["metric", "kind", "label", "category", "n", "mean", "std"]
        )


def _cell(text: object) -> str:
    return md_text(text)


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else np.nan


def _std(values: list[float]) -> float:
    return float(np.std(values, ddof=1)) if len(values) > 1 else np.nan


def _frame(cells: list[list[list[float]]], index: pd.Index, cats: list[str], stat) -> pd.DataFrame:
    """``stat`` of each cell's scores, as a (configurations, categories) frame."""
    data = [[stat(v) for v in row] for row in cells]
    return pd.DataFrame(data, index=index, columns=cats, dtype=float)


def breakdown_tables(
    records: Iterable[BreakdownRecord], order: Sequence[str] = ()
) -> list[BreakdownTable]:
    """One table per (metric, kind), in first-seen order; runs without a breakdown skipped.

    Rows follow ``order`` (the leaderboard's labels); labels not in it come after, in first-seen
    order. A configuration is a row of a table when at least one of its runs has that
    (metric, kind). Categories are sorted by name; a cell averages the runs that have it.
    """
    # (metric, kind) → group → category → scores over runs; group → label
    values: dict[tuple[str, str], dict[str, dict[str, list[float]]]] = {}
    runs: dict[tuple[str, str], dict[str, int]] = {}
    labels: dict[str, str] = {}
    for rec in records:
        if not rec.breakdown:
            continue
        labels.setdefault(rec.group, rec.label)
        for metric, kinds in rec.breakdown.items():
            for kind, cats in kinds.items():
                if not cats:
                    continue
                key = (metric, kind)
                runs.setdefault(key, {})
                runs[key][rec.group] = runs[key].get(rec.group, 0) + 1
                per_group = values.setdefault(key, {}).setdefault(rec.group, {})
                for cat, score in cats.items():
                    per_group.setdefault(str(cat), []).append(float(score))
    rank = {label: i for i, label in enumerate(order)}
    tables = []
    for (metric, kind), by_group in values.items():
        groups = sorted(by_group, key=lambda g: rank.get(labels[g], len(rank)))  # stable
        cats = sorted({c for g in groups for c in by_group[g]})
        index = pd.Index([labels[g] for g in groups], name="label")
        cells = [[by_group[g].get(c, []) for c in cats] for g in groups]
        tables.append(
            BreakdownTable(
                metric=metric,
                kind=kind,
                mean=_frame(cells, index, cats, _mean),
                std=_frame(cells, index, cats, _std),
                count=_frame(cells, index, cats, len),
                n=pd.Series([runs[(metric, kind)][g] for g in groups], index=index),
            )
        )
    return tables


def tests_markdown(tests: pd.DataFrame, metric: str, kind: str, digits: int = 2) -> list[str]:
    """Markdown lines of one ``compare_groups`` table: Δ vs the baseline and Holm p per cell."""
    up = higher_is_better(metric)
    baseline = tests.attrs["baseline"]
    cats = list(dict.fromkeys(tests.index.get_level_values("group")))
    configs = [
        c for c in dict.fromkeys(tests.index.get_level_values("configuration")) if c != baseline
    ]
    header = ["Configuration", *(_cell(c) for c in cats)]
    lines = [
        f"Δ vs `{_cell(baseline)}` per {kind} (configuration − baseline) and p "
        f"(`mmbench.stats.compare_groups`: the leaderboard's test within each group; "
        f"{tests.attrs['correction']}); ▲ / ▼ significantly better / worse at α = 0.05; "
        "p – where a side has a single seed (no test).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for c in configs:
        cells = [_cell(c)]
        for g in cats:
            row = tests.loc[(g, c)]
            delta, p = row["delta"], row["p"]
            if pd.isna(delta):
                cells.append("–")
                continue
            p_text = "–" if pd.isna(p) else ("< 0.001" if p < 0.001 else f"{p:.3f}")
            arrow = ""
            if not pd.isna(p) and p < 0.05:
                arrow = " ▲" if (delta > 0) == up else " ▼"
            cells.append(f"{delta:+.{digits}f} (p {p_text}){arrow}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def write_breakdown(
    tables: Sequence[BreakdownTable],
    experiment: str,
    out_dir: Path,
    uri: str,
    split: str = "test",
    tests: Mapping[tuple[str, str], pd.DataFrame] | None = None,
) -> Path | None:
    """Write ``breakdown.md`` and ``breakdown.csv`` (tidy) to ``out_dir``, and with ``tests``
    (``(metric, kind)`` → ``compare_groups`` table) ``breakdown_tests.csv``; None if no tables."""
    from mmbench.reporting.leaderboard import shown_uri

    if not tables:
        return None
    tests = tests or {}
    out_dir.mkdir(parents=True, exist_ok=True)
    body = [
        f"# Breakdown: {md_text(experiment)}",
        "",
        f"`{split}` scores per group: mean ± sample std over the runs (seeds) of each "
        f"configuration that logged `scores/{split}_breakdown.json` (seeds per row; – where no "
        f"run has the group). ↑ higher is better, ↓ lower is better; best mean per column in "
        f"bold. Source: MLflow store {md_code(shown_uri(uri))}.",
    ]
    for t in tables:
        arrow = "↑" if higher_is_better(t.metric) else "↓"
        body += ["", f"## {md_text(t.metric)} by {md_text(t.kind)} {arrow}", "", t.to_markdown()]
        if (t.metric, t.kind) in tests:
            body += ["", *tests_markdown(tests[(t.metric, t.kind)], t.metric, t.kind)]
        else:
            body += ["", "No per-group tests for this table (see the leaderboard's statistics)."]
    with atomic_path(out_dir / "breakdown.csv") as tmp:
        pd.concat([t.long() for t in tables], ignore_index=True).to_csv(tmp, index=False)
    if tests:
        frames = [
            df.reset_index().assign(metric=metric, kind=kind)
            for (metric, kind), df in tests.items()
        ]
        with atomic_path(out_dir / "breakdown_tests.csv") as tmp:
            pd.concat(frames, ignore_index=True).to_csv(tmp, index=False)
    return atomic_write_text(out_dir / "breakdown.md", "\n".join(body) + "\n")  # .md last
