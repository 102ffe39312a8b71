"""``curves.png``: the validation metric against the training step, one line per configuration.

The input is the long-form frame of logged metric histories, columns ``run_id, key, step,
value`` (one row per logged point). For each configuration the line is the mean over its seeds
at each step, and the band spans the seeds' minimum to maximum (with one seed, the line alone).
Only steps every seed of the configuration logged are averaged, so a band never mixes seeds
that stopped at different points.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mmbench.files import atomic_path


def curve_bands(curves: pd.DataFrame, configs: pd.DataFrame, key: str) -> pd.DataFrame:
    """``label, step, mean, low, high, n`` per configuration (``_config``) and step of ``key``,
    from ``curves`` (``run_id, key, step, value``) and ``configs`` (``run_id``, ``_config``)."""
    points = curves[curves["key"] == key]
    if points.empty:
        return pd.DataFrame(columns=["label", "step", "mean", "low", "high", "n"])
    labels = configs.set_index("run_id")["_config"].astype(str)
    points = points[points["run_id"].isin(labels.index)].copy()
    points["label"] = points["run_id"].map(labels)
    # the last value a run logged at a step (a resumed run may log a step twice)
    points = points.groupby(["label", "run_id", "step"], sort=False)["value"].last().reset_index()
    seeds = points.groupby("label")["run_id"].nunique()
    out = points.groupby(["label", "step"], sort=False)["value"].agg(
        mean="mean", low="min", high="max", n="count"
    )
    out = out.reset_index()
    out = out[out["n"] == out["label"].map(seeds)]  # steps every seed logged
    return out.sort_values(["label", "step"]).reset_index(drop=True)


IN_PLOT_LEGEND = 10  # more lines than this: the legend is drawn beside the axes


def write_curves(
    curves: pd.DataFrame, configs: pd.DataFrame, key: str, out_dir: Path, order: list[str]
) -> Path | None:
    """Draw ``out_dir/curves.png`` for validation metric ``key`` (e.g. ``val/vqa_acc``), lines
    in ``order`` (the leaderboard's labels); None when no run logged ``key``."""
    bands = curve_bands(curves, configs, key)
    if bands.empty:
        return None
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    labels = [x for x in order if x in set(bands["label"])]
    labels += sorted(set(bands["label"]) - set(labels))
    colours = plt.get_cmap("tab10")
    for i, label in enumerate(labels):
        b = bands[bands["label"] == label]
        colour = colours(i % 10)
        ax.plot(b["step"], b["mean"], color=colour, label=f"{label} (n={int(b['n'].max())})")
        if (b["n"] > 1).any():
            ax.fill_between(b["step"], b["low"], b["high"], color=colour, alpha=0.18, lw=0)
    ax.set_xlabel("training step")
    ax.set_ylabel(f"{key}\nmean over seeds, band: min–max")
    ax.grid(alpha=0.3)
    if len(labels) <= IN_PLOT_LEGEND:
        ax.legend(fontsize=7, loc="best")
    else:  # "best" over many lines is slow and covers them: the legend goes beside the axes
        ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  ncol=-(-len(labels) // 30), frameon=False)  # fmt: skip
    path = Path(out_dir) / "curves.png"
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png", bbox_inches="tight")
    plt.close(fig)
    return path
