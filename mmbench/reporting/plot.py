"""``leaderboard.png``: each configuration's headline score with its 95 % interval.

One horizontal bar per configuration, best first: the dot is the mean over seeds, the line its
interval across seeds and test examples (:mod:`mmbench.reporting.seed_stats`), or ± one seed
standard deviation where no interval could be computed. The best configuration and those not
significantly different from it are drawn in the same dark colour; the others in grey.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def plot_leaderboard(
    table: pd.DataFrame, metric: str, path: Path, stats_rows: dict[str, dict] | None = None
) -> Path:
    """Draw ``table`` (a ``Leaderboard.table``) for ``metric`` into ``path``; return it."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    rows = table.dropna(subset=[f"{metric}_mean"])
    labels = [str(x) for x in rows["label"]]
    mean = rows[f"{metric}_mean"].to_numpy(float)
    lo, hi, dark = [], [], []
    for label, m, std in zip(labels, mean, rows[f"{metric}_std"].to_numpy(float)):
        stat = (stats_rows or {}).get(label)
        if stat is not None:
            lo.append(m - stat["ci_low"])
            hi.append(stat["ci_high"] - m)
            dark.append(stat["tied"])
        else:
            spread = 0.0 if np.isnan(std) else std
            lo.append(spread)
            hi.append(spread)
            dark.append(label == labels[0])
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(labels) + 1.5))
    y = np.arange(len(labels))[::-1]
    colours = ["#1f3b73" if d else "#9a9a9a" for d in dark]
    for yi, m, a, b, colour in zip(y, mean, lo, hi, colours):
        ax.errorbar([m], [yi], xerr=[[a], [b]], fmt="none", ecolor=colour, elinewidth=2, capsize=3)
    ax.scatter(mean, y, c=colours, zorder=3)
    ax.set_yticks(y, labels)
    what = "95% interval over seeds × test examples" if stats_rows else "± seed std"
    ax.set_xlabel(f"{metric}\nmean over seeds, {what}")
    if stats_rows and not all(dark):
        from matplotlib.lines import Line2D

        marks = [Line2D([], [], color=c, marker="o") for c in ("#1f3b73", "#9a9a9a")]
        names = ["best, or not significantly below it", "significantly below the best"]
        ax.legend(
            marks,
            names,
            loc="upper center",
            bbox_to_anchor=(0.5, 1.0 + 0.6 / len(y)),
            ncol=2,
            fontsize=8,
            frameon=False,
        )
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
