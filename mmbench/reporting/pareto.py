"""``pareto.md`` + ``pareto.png``: cost against quality, and which configurations are worth it.

Every training run logs its costs (:mod:`mmbench.engine.costs`, ``cost/*`` metrics): parameters,
forward FLOPs per example, training seconds and inference latency per example. Per
configuration, the mean over seeds of each cost and of the headline score is taken. A
configuration is on the *Pareto front* of a cost when no other configuration is at least as good
on the score and at least as cheap, and strictly better on one of the two; on the *joint* front
when no other one dominates it on the score and every cost at once. The figure has one panel
per cost (log scale where the costs span at least 10×), the front drawn as a staircase.

These are means of single measurements per seed: train time and latency depend on the machine
and its load, so compare them within one report only. No test is made here; the leaderboard's
tests say which score differences are significant.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.files import atomic_path, atomic_write_text
from mmbench.reporting.markdown import md_text

LOG_SPAN = 10.0  # costs spanning at least this factor are drawn on a log axis
COSTS = {  # logged metric → (column title, unit shown)
    "cost/params_total": "params",
    "cost/flops_per_example": "FLOPs / example",
    "cost/train_seconds": "train s",
    "cost/latency_ms_per_example": "latency ms / example",
}


def cost_table(configs: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per configuration (``_config`` of ``leaderboard.configurations``): the mean score
    ``metric`` and the mean of each logged cost; only costs some configuration logged."""
    column = f"metrics.{metric}"
    costs = [c for c in COSTS if f"metrics.{c}" in configs]
    if column not in configs or not costs:
        return pd.DataFrame()
    cols = [column] + [f"metrics.{c}" for c in costs]
    values = configs[cols].apply(pd.to_numeric, errors="coerce")
    table = values.groupby(configs["_config"].astype(str), sort=False).mean()
    table.columns = ["score"] + costs
    return table.dropna(subset=["score"])


def dominated(score: np.ndarray, costs: np.ndarray, higher: bool) -> np.ndarray:
    """``(n,)`` bool: whether each point is dominated. ``score (n,)``, ``costs (n, c)``; lower
    costs are better; NaN costs make a point neither dominate nor be dominated on them."""
    s = score if higher else -score
    out = np.zeros(len(s), dtype=bool)
    for i in range(len(s)):
        for j in range(len(s)):
            if i == j or np.isnan(costs[j]).any() or np.isnan(costs[i]).any():
                continue
            no_worse = s[j] >= s[i] and (costs[j] <= costs[i]).all()
            better = s[j] > s[i] or (costs[j] < costs[i]).any()
            if no_worse and better:
                out[i] = True
                break
    return out


def fronts(table: pd.DataFrame, higher: bool) -> pd.DataFrame:
    """Bool frame, one column per cost and ``all costs``: on that Pareto front?"""
    score = table["score"].to_numpy(float)
    out = {}
    for c in table.columns[1:]:
        costs = table[[c]].to_numpy(float)
        out[c] = ~dominated(score, costs, higher) & ~np.isnan(costs[:, 0])
    all_costs = table[table.columns[1:]].to_numpy(float)
    out["all costs"] = ~dominated(score, all_costs, higher) & ~np.isnan(all_costs).any(axis=1)
    return pd.DataFrame(out, index=table.index)


def _fmt(cost: str, value: float) -> str:
    if np.isnan(value):
        return "–"
    if cost in ("cost/params_total", "cost/flops_per_example"):
        for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
            if value >= size:
                return f"{value / size:.2f}{unit}"
        return f"{value:.0f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def pareto_markdown(table: pd.DataFrame, on: pd.DataFrame, metric: str, higher: bool) -> str:
    arrow = "↑" if higher else "↓"
    costs = list(table.columns[1:])
    header = ["Configuration", f"{metric} {arrow}", *(COSTS[c] for c in costs), "on the front of"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, row in table.sort_values("score", ascending=not higher).iterrows():
        which = [COSTS[c] for c in costs if on.loc[label, c]]
        if on.loc[label, "all costs"]:
            which.append("**all costs**")
        cells = [md_text(label), f"{row['score']:.2f}", *(_fmt(c, row[c]) for c in costs)]
        cells.append(", ".join(which) or "– (dominated)")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


MAX_LABELLED = 15  # with more configurations, only the front's points are labelled


def plot_pareto(table: pd.DataFrame, on: pd.DataFrame, metric: str, higher: bool, path: Path):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    costs = list(table.columns[1:])
    ncols = min(len(costs), 2)
    nrows = -(-len(costs) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(5 * ncols, 3.6 * nrows), squeeze=False)
    for ax in axes.flat[len(costs) :]:
        ax.set_visible(False)
    for ax, c in zip(axes.flat, costs):
        x, y = table[c].to_numpy(float), table["score"].to_numpy(float)
        front = on[c].to_numpy()
        ax.scatter(x[~front], y[~front], c="#9a9a9a", zorder=3)
        ax.scatter(x[front], y[front], c="#1f3b73", zorder=3, label="Pareto front")
        order = np.argsort(x[front])
        ax.step(x[front][order], y[front][order], where="post", c="#1f3b73", alpha=0.6)
        for label, xi, yi, on_front in zip(table.index, x, y, front):
            if not np.isnan(xi) and (on_front or len(table) <= MAX_LABELLED):
                ax.annotate(str(label)[:30], (xi, yi), fontsize=6, alpha=0.8,
                            xytext=(3, 3), textcoords="offset points")  # fmt: skip
        if np.nanmin(x) > 0 and np.nanmax(x) >= LOG_SPAN * np.nanmin(x):
            ax.set_xscale("log")  # a log axis within one decade has no labelled ticks
            ax.xaxis.set_minor_formatter(NullFormatter())  # minor labels overlap
        ax.set_xlabel(f"{COSTS[c]} (lower is better)")
        ax.set_ylabel(f"{metric} ({'higher' if higher else 'lower'} is better)")
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=7, loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_pareto(configs: pd.DataFrame, metric: str, higher: bool, out_dir: Path) -> Path | None:
    """Write ``pareto.md`` and ``pareto.png`` into ``out_dir`` (None when no run logged a
    cost or fewer than two configurations have a score); return the .md."""
    table = cost_table(configs, metric)
    if len(table) < 2:
        return None
    on = fronts(table, higher)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / "pareto.png"
    with atomic_path(png) as tmp:
        plot_pareto(table, on, metric, higher, tmp)
    body = [
        "# Cost vs quality",
        "",
        f"Per configuration: mean over seeds of {md_text(metric)} and of each logged cost. On "
        "the front of a cost: no other configuration is at least as good and at least as cheap "
        "(and strictly better on one); **all costs**: not dominated on the score and every cost "
        "at once. Train time and latency depend on the machine that ran them; no test is made "
        "here (see leaderboard.md for which score differences are significant).",
        "",
        pareto_markdown(table, on, metric, higher),
        "",
        f"![cost vs {md_text(metric)}]({png.name})",
        "",
    ]
    md = out_dir / "pareto.md"
    atomic_write_text(md, "\n".join(body))
    return md
