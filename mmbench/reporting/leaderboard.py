"""Leaderboard: one row per configuration, mean ± std over seeds, ↑/↓ per metric, best in bold."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.errors import MmbenchError
from mmbench.files import atomic_path, atomic_write_text
from mmbench.metrics.info import higher_is_better as score_higher_is_better
from mmbench.reporting.convergence import Convergence, convergence
from mmbench.reporting.counted import counted_runs
from mmbench.reporting.labels import distinct_labels
from mmbench.reporting.markdown import md_code, md_text
from mmbench.reporting.plot import plot_leaderboard
from mmbench.reporting.seed_stats import SeedStats
from mmbench.reporting.stats_text import headers, mark, stat_cells, stats_text
from mmbench.reporting.tuning import Tuning
from mmbench.spec.schema import base_metric, parse_corrupted

COST_COLUMNS = {
    "metrics.cost/params_total": "params",
    "metrics.cost/train_seconds": "train s",
}


def _is_headline(column: str, split: str) -> bool:
    """``metrics.test/vqa_acc`` yes; losses, CI bounds and per-group breakdowns no."""
    prefix = f"metrics.{split}/"
    if not column.startswith(prefix) or parse_corrupted(column) is not None:
        return False  # corrupted-input scores go to robustness.md
    key = base_metric(column[len(prefix) :])
    hidden = ("_ci_low", "_ci_high", "_p", "_r")  # CI bounds; ROUGE precision/recall beside F
    return "/" not in key and key != "loss" and not key.endswith(hidden)


def higher_is_better(metric: str) -> bool:
    """``test/wer at audio:white_noise:10`` → False: as the metric declares it."""
    return score_higher_is_better(base_metric(metric))


@dataclass
class Leaderboard:
    table: pd.DataFrame  # one row per configuration: label, n, <metric>_mean, <metric>_std, …
    metrics: list[str]  # e.g. ["test/vqa_acc"]; the first is the headline metric
    stats: SeedStats | None = None  # intervals and tests of the headline metric
    # runs ended by their cap while still improving (``reporting.convergence``)
    convergence: Convergence = field(default_factory=lambda: Convergence([], 0))
    # a tuned experiment's search and chosen values (``reporting.tuning``); None: untuned
    tuning: Tuning | None = None

    def _compared(self) -> bool:
        return self.stats is not None and self.stats.table is not None

    def to_markdown(self, digits: int = 2) -> str:
        header = ["Configuration", "seeds"]
        for i, m in enumerate(self.metrics):
            header.append(f"{m} {'↑' if higher_is_better(m) else '↓'}")
            if i == 0 and self._compared():
                header += headers(self.stats)
        header += [c for c in COST_COLUMNS.values() if f"{c}_mean" in self.table]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        best = {}
        for m in self.metrics:
            col = self.table[f"{m}_mean"]
            best[m] = col.max() if higher_is_better(m) else col.min()
        for _, row in self.table.iterrows():
            cells = [md_text(row["label"]), str(int(row["n"]))]
            for i, m in enumerate(self.metrics):
                mean, std = row[f"{m}_mean"], row[f"{m}_std"]
                stat = self.stats.row(str(row["label"])) if i == 0 and self._compared() else None
                if pd.isna(mean):
                    cells.append("–")
                else:
                    text = f"{mean:.{digits}f}"
                    text += f" ± {std:.{digits}f}" if not pd.isna(std) else ""
                    best_row = np.isclose(mean, best[m])
                    text = f"**{text}**" if best_row else text
                    cells.append(text + mark(stat, self.stats, higher_is_better(m)))
                if i == 0 and self._compared():
                    cells += stat_cells(stat, self.stats, digits)
            for c in COST_COLUMNS.values():
                if f"{c}_mean" in self.table:
                    cells.append(_fmt_cost(c, row[f"{c}_mean"]))
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)


def _fmt_cost(name: str, value: float) -> str:
    if pd.isna(value):
        return "–"
    if name == "params":
        return f"{value / 1e6:.2f}M" if value >= 1e5 else f"{value / 1e3:.1f}k"
    return f"{value:.0f}"


def _primary_metric(runs: pd.DataFrame) -> str | None:
    """The primary metric the runs were trained for (tag, else their task's registry entry)."""
    tagged = runs.get("tags.mmbench.primary_metric", pd.Series(dtype=object)).dropna()
    if len(tagged):
        return str(tagged.mode().iloc[0])
    tasks = runs.get("tags.mmbench.task", pd.Series(dtype=object)).dropna()
    if len(tasks):
        from mmbench.registry import TASKS

        task = str(tasks.mode().iloc[0])
        if task in TASKS:
            return TASKS.get(task).primary_metric
    return None


def configurations(runs: pd.DataFrame) -> pd.DataFrame:
    """Counted runs (``counted_runs``) without sweep parents, with ``_group`` (configuration
    id: ``tags.mmbench.group``, external runs by name), ``_label`` (its sweep label) and
    ``_config`` (its distinct row label).
    """
    runs = counted_runs(runs).copy()  # one run per configuration and seed: the newest
    if "tags.mmbench.kind" in runs:
        runs = runs[runs["tags.mmbench.kind"].fillna("") != "sweep"].copy()
    group = runs.get("tags.mmbench.group", pd.Series(index=runs.index, dtype=object))
    runs["_group"] = group.fillna(runs["run_name"])
    label = runs.get("tags.mmbench.label", pd.Series(index=runs.index, dtype=object))
    runs["_label"] = label.fillna(runs["run_name"])
    runs["_config"] = runs["_group"].map(distinct_labels(runs))
    return runs


def leaderboard(runs: pd.DataFrame, split: str = "test") -> Leaderboard:
    """Group runs by configuration (``tags.mmbench.group``; external runs by name)."""
    if runs.empty:
        raise MmbenchError("no finished runs to report (run a spec first: mmbench run SPEC)")
    runs = configurations(runs)
    metric_cols = sorted(c for c in runs.columns if _is_headline(c, split))
    if not metric_cols:
        raise MmbenchError(f"the runs have no '{split}/…' metrics to report")
    cols = metric_cols + [c for c in COST_COLUMNS if c in runs]
    rows = []
    for _, g in runs.groupby("_group", sort=False):
        row = {"label": g["_config"].iloc[0], "n": len(g)}
        for c in cols:
            name = COST_COLUMNS.get(c, c[len("metrics.") :])
            vals = g[c].dropna().astype(float) if c in g else pd.Series(dtype=float)
            row[f"{name}_mean"] = vals.mean() if len(vals) else np.nan
            row[f"{name}_std"] = vals.std(ddof=1) if len(vals) > 1 else np.nan
        rows.append(row)
    metrics = [c[len("metrics.") :] for c in metric_cols]
    primary = _primary_metric(runs)
    lead = f"{split}/{primary}" if primary else None
    # the task's primary metric leads; scores without an input follow their metric
    metrics.sort(key=lambda m: (base_metric(m) != lead, base_metric(m), m != base_metric(m), m))
    table = pd.DataFrame(rows)
    first = metrics[0]
    table = table.sort_values(f"{first}_mean", ascending=not higher_is_better(first))
    return Leaderboard(table.reset_index(drop=True), metrics, convergence=convergence(runs))


def shown_uri(uri: str) -> str:
    """The store as a report may print it: no absolute path of this machine. A local SQLite
    file becomes relative to the working directory, or its bare file name outside it."""
    if not uri.startswith("sqlite:///"):
        scheme, _, rest = uri.partition("://")
        return f"{scheme}://{rest.split('@')[-1]}" if rest and "@" in rest else uri  # no password
    db = Path(uri[len("sqlite:///") :])
    if not db.is_absolute():
        return uri
    try:
        return f"sqlite:///{db.resolve().relative_to(Path.cwd().resolve())}"
    except ValueError:
        return f"{db.name} (a local SQLite file)"


STAT_COLUMNS = (
    "ci_low", "ci_high", "p", "tied", "covers",
    "p_improvement", "p_improvement_low", "p_improvement_high", "seeds_needed",
)  # fmt: skip


def write_report(
    board: Leaderboard, experiment: str, out_dir: Path, uri: str, task: str | None = None
) -> Path:
    """Write ``leaderboard.md``, ``leaderboard.csv`` and ``leaderboard.png``; return the .md.

    Each file is written under a temporary name and renamed; the .md comes last."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / "leaderboard.md"
    headline = board.metrics[0]
    table = board.table.copy()
    if board._compared():
        rows = [board.stats.row(str(x)) or {} for x in table["label"]]
        for key in STAT_COLUMNS:
            table[f"{headline}_{key}"] = [r.get(key, np.nan) for r in rows]
    png = out_dir / "leaderboard.png"
    with atomic_path(png) as tmp:
        plot_leaderboard(board.table, headline, tmp, board.stats, higher_is_better(headline))
    body = [
        f"# Leaderboard: {md_text(experiment)}",
        "",
        f"Mean ± sample std over seeds (n per row). ↑ higher is better, ↓ lower is better; "
        f"best mean in bold. Source: MLflow store {md_code(shown_uri(uri))}, kept in this "
        "folder as `runs.parquet`, `results.parquet` and `manifest.json` (`mmbench report "
        "--from <this folder>` remakes every table and plot from them).",
        "",
        *stats_text(board.stats, task),
        *board.convergence.lines(),
        board.to_markdown(),
        "",
        f"![{md_text(headline)} by configuration]({png.name})",
        "",
        *(board.tuning.lines() if board.tuning is not None else []),
    ]
    with atomic_path(out_dir / "leaderboard.csv") as tmp_csv:
        table.to_csv(tmp_csv, index=False)
    atomic_write_text(md, "\n".join(body))  # last: a .md always has its .png and .csv
    return md
