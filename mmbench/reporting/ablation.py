"""``ablation.md``: what each change to the baseline does, one factor at a time.

A *factor* is a logged spec key (an MLflow param such as ``model.fusion.name``) that is the same
for every seed of a configuration but differs between configurations. Against the baseline
(the spec's ``report.baseline`` or ``--against``), each configuration that differs from it in
exactly one factor gets a row under that factor: its mean, the difference Δ from the baseline
with its 95 % interval, and the p value — all read from the leaderboard's own comparison
(:class:`~mmbench.reporting.seed_stats.SeedStats`, against that same baseline), so the ablation
never makes a different test from the leaderboard. When both the encoders and the fusion vary,
an encoder × fusion grid of means follows (configurations equal to the baseline in every other
factor), with the leaderboard's ▲/▼ marks.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from mmbench.files import atomic_write_text
from mmbench.reporting.leaderboard import Leaderboard, higher_is_better
from mmbench.reporting.markdown import md_code, md_text
from mmbench.reporting.seed_stats import fmt_p
from mmbench.reporting.stats_text import mark

FUSION = "model.fusion.name"
ENCODER = ("model.encoders.", ".name")


def factors(configs: pd.DataFrame) -> pd.DataFrame:
    """One row per configuration (``_config``), one column per factor (values as text,
    ``"none"`` where not logged)."""
    params = [c for c in configs.columns if c.startswith("params.")]
    values = configs[params].astype(object).where(configs[params].notna(), "none").astype(str)
    values["_config"] = configs["_config"].astype(str).to_numpy()
    per = values.groupby("_config", sort=False)
    constant = [c for c in params if (per[c].nunique() == 1).all()]  # not seeds
    table = per[constant].first()
    varying = [c for c in constant if table[c].nunique() > 1]
    table = table[varying]
    table.columns = [c[len("params.") :] for c in varying]
    return table


def _is_encoder(key: str) -> bool:
    return key.startswith(ENCODER[0]) and key.endswith(ENCODER[1])


def _encoder_text(row: pd.Series) -> str:
    keys = [k for k in row.index if _is_encoder(k)]
    return ", ".join(f"{k[len(ENCODER[0]) : -len(ENCODER[1])]}={row[k]}" for k in keys)


def _delta_cells(stats, label: str, digits: int) -> list[str]:
    row = stats.table.loc[label]
    d, lo, hi, p = (float(row[k]) for k in ("delta", "delta_low", "delta_high", "p"))
    interval = "–" if math.isnan(lo) else f"[{lo:+.{digits}f}, {hi:+.{digits}f}]"
    return [f"{d:+.{digits}f}", interval, fmt_p(p)]


def ablation_markdown(board: Leaderboard, configs: pd.DataFrame, baseline: str, digits=2) -> str:
    """The ablation section's Markdown (see the module docstring)."""
    metric = board.metrics[0]
    higher = higher_is_better(metric)
    means = board.table.set_index("label")
    table = factors(configs).reindex(means.index.astype(str))  # leaderboard order
    stats = board.stats
    tested = (
        stats is not None
        and stats.table is not None
        and stats.against == baseline
        and baseline in stats.table.index
    )
    base = table.loc[baseline]
    lines = [
        f"# Ablation against {md_code(baseline)}",
        "",
        f"One factor at a time: configurations that differ from the baseline in exactly one "
        f"logged spec key. {md_text(metric)} {'↑' if higher else '↓'}: mean ± std over seeds.",
    ]
    if tested:
        lines[-1] += (
            " Δ (this − baseline), its 95% interval and p are the leaderboard's comparison with "
            "the baseline (`mmbench.stats.compare`: examples paired, seeds independent, Holm "
            f"over the {len(stats.table) - 1} comparisons with it); ▲ / ▼ significantly "
            "better / worse at α = 0.05."
        )
    else:
        why = "no intervals or tests" if stats is None or stats.table is None else (
            f"the leaderboard's tests are against {stats.reference_word}, not the baseline"
        )  # fmt: skip
        lines[-1] += f" No Δ intervals or tests: {why} (`mmbench report --against` sets it)."
    lines.append("")

    def score(label: str) -> str:
        r = means.loc[label]
        text = f"{r[f'{metric}_mean']:.{digits}f}"
        if not pd.isna(r[f"{metric}_std"]):
            text += f" ± {r[f'{metric}_std']:.{digits}f}"
        stat = stats.row(label) if tested else None
        return text + (mark(stat, stats, higher) if stat else "")

    single = {}
    for label, row in table.iterrows():
        diff = [k for k in table.columns if row[k] != base[k]]
        if len(diff) == 1:
            single.setdefault(diff[0], []).append(label)
    for key, labels in single.items():
        head = [md_text(key), f"{md_text(metric)} {'↑' if higher else '↓'}"]
        head += ["Δ", "95% CI of Δ", "p"] if tested else []
        lines += [f"## {md_text(key)}", "", "| " + " | ".join(head) + " |"]
        lines.append("|" + "---|" * len(head))
        lines.append(
            f"| {md_text(base[key])} (baseline) | {score(baseline)} |" + " – |" * (len(head) - 2)
        )
        for label in labels:
            cells = [md_text(table.loc[label, key]), score(label)]
            cells += _delta_cells(stats, label, digits) if tested else []
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    if not single:
        lines += ["No configuration differs from the baseline in exactly one factor.", ""]
    lines += _grid(table, base, score)
    return "\n".join(lines)


def _grid(table: pd.DataFrame, base: pd.Series, score) -> list[str]:
    """The encoder × fusion grid, when both vary (empty list otherwise)."""
    encoders = [k for k in table.columns if _is_encoder(k)]
    if FUSION not in table.columns or not encoders:
        return []
    others = [k for k in table.columns if k != FUSION and k not in encoders]
    same = table[(table[others] == base[others]).all(axis=1)] if others else table
    # the baseline's row and column first, then in leaderboard order
    rows = list(
        dict.fromkeys([_encoder_text(base), *(_encoder_text(r) for _, r in same.iterrows())])
    )
    cols = list(dict.fromkeys([base[FUSION], *same[FUSION]]))
    cell = {(_encoder_text(r), r[FUSION]): score(label) for label, r in same.iterrows()}
    lines = ["## Encoders × fusion", ""]
    if others:
        held = ", ".join(f"{md_text(k)}={md_text(base[k])}" for k in others)
        lines += [f"Other factors as in the baseline ({held}).", ""]
    lines.append("| encoders | " + " | ".join(f"fusion={md_text(c)}" for c in cols) + " |")
    lines.append("|" + "---|" * (len(cols) + 1))
    for r in rows:
        lines.append(f"| {md_text(r)} | " + " | ".join(cell.get((r, c), "–") for c in cols) + " |")
    return [*lines, ""]


def write_ablation(
    board: Leaderboard, configs: pd.DataFrame, baseline: str | None, out_dir: Path
) -> Path | None:
    """Write ``out_dir/ablation.md``; None without a baseline or factors."""
    if baseline is None or len(board.table) < 2:
        return None
    table = factors(configs)
    if baseline not in table.index or table.empty:
        return None
    path = Path(out_dir) / "ablation.md"
    atomic_write_text(path, ablation_markdown(board, configs, baseline))
    return path
