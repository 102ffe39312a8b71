"""``cd.png``: Demšar's critical-difference diagram of average ranks.

An axis of ranks (1 = best, on the left); each configuration hangs from its average rank,
the better half labelled on the left and the rest on the right. A bar above the axis shows the
Nemenyi critical difference, and thick lines join the groups of configurations whose average
ranks differ by less than it (no significant difference between them), as in Demšar (2006),
JMLR 7:1–30, figure 1.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mmbench.files import atomic_path


def cliques(avg: np.ndarray, cd: float) -> list[tuple[int, int]]:
    """Maximal runs ``(first, last)`` of positions in ``sorted(avg)`` spanning less than ``cd``
    (positions into the sorted order; only runs of two or more)."""
    order = np.sort(avg)
    out: list[tuple[int, int]] = []
    for i in range(len(order)):
        j = i
        while j + 1 < len(order) and order[j + 1] - order[i] < cd:
            j += 1
        if j > i and not any(a <= i and j <= b for a, b in out):
            out.append((i, j))
    return out


def plot_cd(labels: list[str], avg: np.ndarray, cd: float, path: Path, title: str = "") -> Path:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    k = len(labels)
    order = np.argsort(avg)
    srt = avg[order]
    names = [str(labels[i]) for i in order]
    half = (k + 1) // 2
    fig, ax = plt.subplots(figsize=(8, 1.6 + 0.32 * half))
    lo, hi = 1, max(k, 2)
    ax.set_xlim(lo - 0.6, hi + 0.6)
    ax.set_ylim(-(half + 1.5), 1.8)
    ax.axis("off")
    ax.hlines(0, lo, hi, color="k", lw=1)
    for t in range(lo, hi + 1):
        ax.vlines(t, 0, 0.15, color="k", lw=1)
        ax.text(t, 0.25, str(t), ha="center", va="bottom", fontsize=8)
    ax.hlines(1.2, lo, lo + cd, color="k", lw=1.5)  # the CD bar
    ax.vlines([lo, lo + cd], 1.1, 1.3, color="k", lw=1.5)
    ax.text(lo + cd / 2, 1.35, f"CD = {cd:.2f}", ha="center", va="bottom", fontsize=8)
    for pos, (name, r) in enumerate(zip(names, srt)):
        left = pos < half
        row = -(pos + 1) if left else -(k - pos)
        end = lo - 0.5 if left else hi + 0.5
        ax.plot([r, r, end], [0, row, row], color="k", lw=0.8)
        ax.text(end, row, f"{name} ({r:.2f})", ha="right" if left else "left",
                va="center", fontsize=8)  # fmt: skip
    for n, (a, b) in enumerate(cliques(avg, cd)):
        y = -0.35 - 0.2 * n
        ax.hlines(y, srt[a] - 0.03, srt[b] + 0.03, color="#b03a2e", lw=3)
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=120, format="png", bbox_inches="tight")
    plt.close(fig)
    return path
