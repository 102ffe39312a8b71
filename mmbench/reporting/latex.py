"""``leaderboard.tex``: the leaderboard as a LaTeX table a paper can paste.

A ``booktabs`` table (``\\toprule``/``\\midrule``/``\\bottomrule``): one row per configuration,
mean ± sample std over seeds per metric with the best mean in bold (direction from the metric's
declaration), the headline metric's 95 % interval and p value against the reference, and the
same marks as the Markdown leaderboard (:mod:`mmbench.reporting.stats_text`: † tied with the
best, ▲/▼ significantly better/worse than a named reference, here ``$^\\dagger$``,
``$^\\blacktriangle$``/``$^\\blacktriangledown$``, which need ``amssymb``). The caption states the
seeds, the test and the correction. Every label is escaped (:func:`tex_text`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.files import atomic_write_text
from mmbench.reporting.leaderboard import Leaderboard, higher_is_better
from mmbench.reporting.seed_stats import fmt_p
from mmbench.reporting.stats_text import ALPHA_TEXT, mark

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "\n": " ",
    "\r": " ",
}
_MARKS = {" †": r"$^\dagger$", " ▲": r"$^\blacktriangle$", " ▼": r"$^\blacktriangledown$"}


def tex_text(value: object) -> str:
    """``value`` as LaTeX text that typesets as itself (``a_b & 5%`` → ``a\\_b \\& 5\\%``)."""
    return "".join(_SPECIAL.get(ch, ch) for ch in str(value))


def _num(x: float, digits: int) -> str:
    return f"{x:.{digits}f}"


def _caption(board: Leaderboard, experiment: str) -> str:
    seeds = sorted({int(n) for n in board.table["n"]})
    seed_text = (
        f"{seeds[0]} seed{'s' if seeds[0] != 1 else ''} per configuration"
        if len(seeds) == 1
        else f"{seeds[0]}--{seeds[-1]} seeds per configuration"
    )
    parts = [f"{tex_text(experiment)}: mean $\\pm$ sample std over training seeds ({seed_text})"]
    parts.append("best mean in bold")
    stats = board.stats
    if stats is not None and stats.table is not None:
        alpha = ALPHA_TEXT.replace("α", r"$\alpha$")
        parts.append(
            f"95\\% CI: t interval over seeds and the "
            f"{stats.table.attrs['n_examples']:,} shared test examples "
            "(Welch--Satterthwaite df)"
        )
        if stats.against is None:
            parts.append(
                "p: two-sided test of the paired difference from the best, Holm-corrected over "
                f"all pairs; $^\\dagger$ tied with the best at {alpha}"
            )
        else:
            parts.append(
                f"p: two-sided test of the paired difference from {tex_text(stats.against)}, "
                "Holm-corrected over the comparisons with it; $^\\blacktriangle$/"
                f"$^\\blacktriangledown$ significantly better/worse at {alpha}"
            )
    elif stats is not None:
        parts.append(f"no intervals or tests: {tex_text(stats.note)}")
    return "; ".join(parts) + "."


def to_latex(board: Leaderboard, experiment: str, digits: int = 2) -> str:
    """The leaderboard as a ``table`` environment (needs ``booktabs`` and ``amssymb``)."""
    compared = board._compared()
    stats = board.stats
    header = ["Configuration", "seeds"]
    for i, m in enumerate(board.metrics):
        arrow = r"$\uparrow$" if higher_is_better(m) else r"$\downarrow$"
        header.append(f"{tex_text(m)} {arrow}")
        if i == 0 and compared:
            header += ["95\\% CI", f"p vs {tex_text(stats.reference_word)}"]
    best = {}
    for m in board.metrics:
        col = board.table[f"{m}_mean"]
        best[m] = col.max() if higher_is_better(m) else col.min()
    rows = []
    for _, row in board.table.iterrows():
        label = str(row["label"])
        cells = [tex_text(label), str(int(row["n"]))]
        for i, m in enumerate(board.metrics):
            mean, std = row[f"{m}_mean"], row[f"{m}_std"]
            stat = stats.row(label) if i == 0 and compared else None
            if pd.isna(mean):
                cells.append("--")
            else:
                text = _num(mean, digits)
                text += f" $\\pm$ {_num(std, digits)}" if not pd.isna(std) else ""
                if np.isclose(mean, best[m]):
                    text = f"\\textbf{{{text}}}"
                if stat is not None:
                    text += _MARKS.get(mark(stat, stats, higher_is_better(m)), "")
                cells.append(text)
            if i == 0 and compared:
                if stat is None:
                    cells += ["--", "--"]
                else:
                    lo, hi = _num(stat["ci_low"], digits), _num(stat["ci_high"], digits)
                    p = "--" if math.isnan(stat["p"]) else fmt_p(stat["p"]).replace("<", "$<$")
                    cells += [f"[{lo}, {hi}]", "ref." if stat["is_reference"] else p]
        rows.append(" & ".join(cells) + r" \\")
    spec = "l" + "r" * (len(header) - 1)
    lines = [
        r"% needs \usepackage{booktabs} and \usepackage{amssymb}",
        r"\begin{table}[t]",
        r"\centering",
        f"\\caption{{{_caption(board, experiment)}}}",
        f"\\label{{tab:{_label_key(experiment)}}}",
        f"\\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        " & ".join(header) + r" \\",
        r"\midrule",
        *rows,
        r"\bottomrule",
        r"\end{tabular}",
        r"\end{table}",
        "",
    ]
    return "\n".join(lines)


def _label_key(experiment: str) -> str:
    """A ``\\label`` key: letters, digits and ``-:.`` only."""
    return "".join(ch if ch.isalnum() or ch in "-:." else "-" for ch in experiment) or "results"


def write_latex(board: Leaderboard, experiment: str, out_dir: Path) -> Path:
    """Write ``out_dir/leaderboard.tex``; return its path."""
    path = Path(out_dir) / "leaderboard.tex"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, to_latex(board, experiment))
    return path
