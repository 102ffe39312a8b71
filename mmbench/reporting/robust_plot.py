"""Robustness curve plots: one PNG per input × corruption, one line per configuration.

x: the levels in order of severity (evenly spaced, labelled with their values); y: the mean over
seeds of the headline score, with a band of ± one seed standard deviation (none for one seed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def plot_curve(curve, metric: str, unit: str, path: Path, baseline: str | None = None) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.arange(len(curve.levels))
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=110)
    for label, s in curve.scores.items():
        mean = s.mean(axis=0)
        width = 2.6 if label == baseline else 1.6
        (line,) = ax.plot(x, mean, marker="o", lw=width, label=f"{label} (n={len(s)})")
        if len(s) > 1:
            std = s.std(axis=0, ddof=1)
            ax.fill_between(x, mean - std, mean + std, color=line.get_color(), alpha=0.15)
    ax.set_xticks(x, [f"{lv:g}" for lv in curve.levels])
    ax.set_xlabel(f"{curve.inp}: {curve.corruption} ({unit})")
    ax.set_ylabel(metric)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
