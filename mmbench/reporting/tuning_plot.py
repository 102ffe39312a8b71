"""``tuning.png``: validation score against each tuned value, one panel per searched key.

Every counted trial of every configuration is one marker (one colour per configuration):
filled for a finished trial, hollow for a pruned one (its last reported score), the chosen
trial ringed; failed trials have no score and are not drawn. A key searched log-uniformly gets
a log x axis, a ``choice`` key one position per value. The view is
:class:`mmbench.reporting.tuning.Tuning`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mmbench.files import atomic_path


def plot_tuning(view, path: Path) -> bool:
    """Draw ``path``; False (nothing written) when no trial has a score."""
    from mmbench.reporting.tuning import COMPLETE, PRUNED

    trials = view.trials[view.trials["score"].notna()]
    if trials.empty or not view.keys:
        return False
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    n = len(view.keys)
    cols = min(n, 3)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False)
    colours = plt.get_cmap("tab10")
    labels = [s.label for s in view.searches]
    best = {(s.label, s.best_trial) for s in view.searches}
    for i, key in enumerate(view.keys):
        ax = axes[i // cols][i % cols]
        if view.categorical(key):
            order = list(dict.fromkeys(trials[key].astype(str)))
            x_of = {v: j for j, v in enumerate(order)}
            ax.set_xticks(range(len(order)), order, fontsize=7)
        for j, label in enumerate(labels):
            t = trials[trials["configuration"] == label]
            x = t[key].astype(str).map(x_of) if view.categorical(key) else _numbers(t[key])
            colour = colours(j % 10)
            done = (t["state"] == COMPLETE).to_numpy()
            pruned = (t["state"] == PRUNED).to_numpy()
            ax.scatter(x[done], t["score"][done], color=colour, s=22, label=label)
            ax.scatter(x[pruned], t["score"][pruned], facecolors="none", edgecolors=colour, s=22)
            chosen = t["trial"].isin([n for c, n in best if c == label]).to_numpy()
            ax.scatter(x[chosen], t["score"][chosen], facecolors="none", edgecolors="black",
                       s=90, linewidths=1.0)  # fmt: skip
        if view.log_scale(key):
            ax.set_xscale("log")
        ax.set_xlabel(key)
        ax.set_ylabel(f"{view.objective} (validation)")
        ax.grid(alpha=0.3)
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    axes[0][0].legend(fontsize=7, loc="best", title="filled: finished, hollow: pruned; "
                      "ringed: chosen", title_fontsize=6)  # fmt: skip
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png", bbox_inches="tight")
    plt.close(fig)
    return True


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype(float)
