"""``leaderboard.png``: each configuration's headline score with its 95 % interval.

One horizontal bar per configuration, best first: the dot is the mean over seeds, the line its
interval across seeds and test examples (:mod:`mmbench.reporting.seed_stats`), or ± one seed
standard deviation where no interval could be computed. Against the best configuration, it and
those tied with it are dark, the others grey. Against a named reference, the reference is dark,
significantly better ones green, worse ones red, the others grey. Configurations whose test needs
a second seed are light grey ("not tested").
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.reporting.seed_stats import SeedStats

DARK, GREY, BETTER, WORSE = "#1f3b73", "#9a9a9a", "#2b7a3d", "#b03a2e"
UNTESTED = "#c9c9c9"


def _colour(label: str, stat: dict | None, stats: SeedStats | None, higher: bool) -> str:
    if stat is None or stats is None:
        return GREY
    if stat["is_reference"]:
        return DARK
    if math.isnan(stat["p"]):
        return UNTESTED
    if stats.against is None:
        return DARK if stat["tied"] else GREY
    if not stat["different"]:
        return GREY
    return BETTER if stat["above"] == higher else WORSE


def plot_leaderboard(
    table: pd.DataFrame,
    metric: str,
    path: Path,
    stats: SeedStats | None = None,
    higher: bool = True,
) -> Path:
    """Draw ``table`` (a ``Leaderboard.table``) for ``metric`` into ``path``; return it."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    rows = table.dropna(subset=[f"{metric}_mean"])
    labels = [str(x) for x in rows["label"]]
    mean = rows[f"{metric}_mean"].to_numpy(float)
    compared = stats is not None and stats.table is not None
    lo, hi, colours = [], [], []
    for label, m, std in zip(labels, mean, rows[f"{metric}_std"].to_numpy(float)):
        stat = stats.row(label) if compared else None
        if stat is not None:
            lo.append(m - stat["ci_low"])
            hi.append(stat["ci_high"] - m)
        else:
            spread = 0.0 if np.isnan(std) else std
            lo.append(spread)
            hi.append(spread)
        fallback = DARK if label == labels[0] else GREY
        colours.append(_colour(label, stat, stats, higher) if compared else fallback)
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(labels) + 1.5))
    y = np.arange(len(labels))[::-1]
    lo, hi, shade = np.asarray(lo), np.asarray(hi), np.asarray(colours, dtype=object)
    for colour in dict.fromkeys(colours):  # one errorbar call per colour, not per row
        at = shade == colour
        ax.errorbar(mean[at], y[at], xerr=[lo[at], hi[at]], fmt="none", ecolor=colour,
                    elinewidth=2, capsize=3)  # fmt: skip
    ax.scatter(mean, y, c=colours, zorder=3)
    ax.set_yticks(y, labels)
    what = "95% interval over seeds × test population" if compared else "± seed std"
    ax.set_xlabel(f"{metric}\nmean over seeds, {what}")
    if compared and len(set(colours)) > 1:
        from matplotlib.lines import Line2D

        if stats.against is not None:
            names = {
                DARK: "reference",
                BETTER: "significantly better",
                WORSE: "significantly worse",
                GREY: "not significantly different",
                UNTESTED: "not tested (needs ≥ 2 seeds)",
            }
        else:
            names = {
                DARK: "best, or tied with it",
                GREY: "significantly below the best",
                UNTESTED: "not tested (needs ≥ 2 seeds)",
            }
        used = [c for c in names if c in colours]
        marks = [Line2D([], [], color=c, marker="o") for c in used]
        ax.legend(
            marks,
            [names[c] for c in used],
            loc="upper center",
            bbox_to_anchor=(0.5, 1.0 + 0.6 / len(y)),
            ncol=len(used),
            fontsize=8,
            frameon=False,
        )
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
