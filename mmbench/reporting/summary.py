"""``reports/<name>/summary.md`` + ``cd.png``: which configuration is best over several
experiments (datasets, tasks).

Configurations are matched across experiments by their leaderboard label (``fusion=film``).
On each experiment they are ranked by its headline metric, in that metric's direction; the
summary gives the average ranks, the Friedman test and the Nemenyi critical difference with
Demšar's diagram (:mod:`mmbench.stats.ranks`; Demšar 2006, JMLR 7:1–30), and per experiment a
normalised score: min–max over the ranked configurations, 1 = the best, 0 = the worst.

Only comparable numbers are ranked: every metric whose fingerprint (``mmbench.metric.<name>``
tags: version, reference, normaliser, tokenizer) is logged must be the same in every run of
every experiment, and so must the version of each task (``mmbench.task_version``); otherwise
the summary refuses and names the experiments and values that differ.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.errors import MmbenchError
from mmbench.files import atomic_write_text, contained
from mmbench.reporting.cd_plot import cliques, plot_cd
from mmbench.reporting.leaderboard import configurations, higher_is_better, leaderboard
from mmbench.reporting.markdown import md_code, md_text
from mmbench.stats.ranks import RankTest, rank_test
from mmbench.tracking import schema


@dataclass
class Entry:
    """One experiment of the summary: its headline metric and each configuration's mean."""

    experiment: str
    metric: str
    higher: bool
    means: pd.Series  # label → mean over seeds
    fingerprints: dict[str, str]  # metric name → fingerprint tag
    task_versions: dict[str, str]  # task → version


def _one_value(runs: pd.DataFrame, column: str, experiment: str, what: str) -> str | None:
    values = sorted(set(runs[column].dropna().astype(str))) if column in runs else []
    if len(values) > 1:
        raise MmbenchError(
            f"summary: experiment '{experiment}': its runs disagree on {what} "
            f"({' vs '.join(values)}); re-run them with one version before summarising"
        )
    return values[0] if values else None


def entry(origin, experiment: str, split: str = "test") -> Entry:
    """One experiment's means, read through ``origin`` (``reporting.source``)."""
    runs = origin.runs(experiment)
    board = leaderboard(runs, split)
    configs = configurations(runs)
    metric = board.metrics[0]
    prefix = f"tags.{schema.METRIC_FINGERPRINT}"
    fingerprints = {}
    for col in (c for c in configs.columns if c.startswith(prefix)):
        name = col[len(prefix) :]
        value = _one_value(configs, col, experiment, f"the fingerprint of metric '{name}'")
        if value is not None:
            fingerprints[name] = value
    versions = {}
    task_col, version_col = f"tags.{schema.TASK}", f"tags.{schema.TASK_VERSION}"
    if task_col in configs:
        for task, g in configs.groupby(configs[task_col].fillna("?")):
            v = _one_value(g, version_col, experiment, f"the version of task '{task}'")
            if v is not None:
                versions[str(task)] = v
    means = board.table.set_index("label")[f"{metric}_mean"].astype(float)
    return Entry(experiment, metric, higher_is_better(metric), means, fingerprints, versions)


def check_compatible(entries: list[Entry]) -> None:
    """Raise if a metric fingerprint or task version differs between experiments."""
    problems = []
    for attr, what in (("fingerprints", "metric"), ("task_versions", "task")):
        seen: dict[str, tuple[str, str]] = {}
        for e in entries:
            for name, value in getattr(e, attr).items():
                if name in seen and seen[name][1] != value:
                    first, other = seen[name]
                    kind = "fingerprint" if what == "metric" else "version"
                    problems.append(
                        f"summary: {what} '{name}' has {kind} '{other}' in experiment "
                        f"'{first}' but '{value}' in experiment '{e.experiment}'"
                    )
                seen.setdefault(name, (e.experiment, value))
    if problems:
        raise MmbenchError(
            problems + ["their scores are not comparable: summarise experiments of one version"]
        )


def normalised(scores: np.ndarray, higher: np.ndarray) -> np.ndarray:
    """``(N, k)`` min–max per row, direction-aware: 1 = the row's best, 0 its worst (all 1
    where a row is constant)."""
    lo, hi = scores.min(axis=1, keepdims=True), scores.max(axis=1, keepdims=True)
    span = np.where(hi > lo, hi - lo, 1.0)
    up = (scores - lo) / span
    out = np.where(higher[:, None], up, 1 - up)
    return np.where(hi > lo, out, 1.0)


def _fmt_p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def summary_markdown(name: str, entries: list[Entry], labels: list[str], test: RankTest,
                     dropped: list[str]) -> str:  # fmt: skip
    scores = np.array([[e.means[lab] for lab in labels] for e in entries])
    higher = np.array([e.higher for e in entries])
    norm = normalised(scores, higher)
    order = np.argsort(test.avg_ranks)
    exps = [md_text(e.experiment) for e in entries]
    lines = [
        f"# Summary: {md_text(name)}",
        "",
        f"{test.k} configurations (matched by label) ranked on {test.n} experiments by each "
        "experiment's headline metric (1 = best, ties share the average rank). Normalised "
        "score: min–max over these configurations per experiment, 1 = best, 0 = worst, in the "
        "metric's direction.",
        "",
        "| Experiment | metric | task versions |",
        "|---|---|---|",
    ]
    for e, x in zip(entries, exps):
        versions = ", ".join(f"{md_text(t)} v{md_text(v)}" for t, v in e.task_versions.items())
        lines.append(
            f"| {x} | {md_text(e.metric)} {'↑' if e.higher else '↓'} | {versions or '–'} |"
        )
    head = ["Configuration", "average rank", "mean normalised", *exps]
    lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for j in order:
        cells = [md_text(labels[j]), f"{test.avg_ranks[j]:.2f}", f"{norm[:, j].mean():.2f}"]
        cells += [f"{norm[i, j]:.2f} ({scores[i, j]:.2f})" for i in range(len(entries))]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Cells: normalised score (the experiment's mean over seeds).", ""]
    if np.isnan(test.chi2):
        lines.append(
            "Friedman test: needs at least three configurations; none made. "
            f"Nemenyi critical difference (α = {test.alpha}): CD = {test.cd:.2f}."
        )
    else:
        lines.append(
            f"**Friedman test** (`scipy.stats.friedmanchisquare`, tie-corrected): χ²_F = "
            f"{test.chi2:.2f} with {test.k - 1} df, p = {_fmt_p(test.p)}; Iman–Davenport "
            f"F_F = {test.ff:.2f} with ({test.k - 1}, {(test.k - 1) * (test.n - 1)}) df, "
            f"p = {_fmt_p(test.p_ff)}. **Nemenyi** critical difference at α = {test.alpha}: "
            f"CD = {test.cd:.2f} (Demšar 2006): two configurations differ significantly when "
            "their average ranks differ by at least CD."
        )
    groups = cliques(test.avg_ranks, test.cd)
    srt = [labels[j] for j in order]
    if groups:
        joined = "; ".join(", ".join(md_code(s) for s in srt[a : b + 1]) for a, b in groups)
        lines += ["", f"Not significantly different (within CD): {joined}."]
    else:
        lines += ["", "Every pair of average ranks differs by at least CD."]
    if test.n < 5 or test.k < 3:
        lines += [
            "",
            f"With {test.n} experiments and {test.k} configurations the test has little power: "
            "no significant difference here is not evidence of equality.",
        ]
    if dropped:
        lines += [
            "",
            f"Not in every experiment, left out: {', '.join(md_code(d) for d in dropped)}.",
        ]
    lines += ["", "![critical-difference diagram](cd.png)", ""]
    return "\n".join(lines)


def build_summary(
    experiments: list[str],
    uri: str | None = None,
    out_root: str | Path = "reports",
    name: str = "summary",
    split: str = "test",
    alpha: float = 0.05,
    bundles: list[str | Path] | None = None,
) -> Path:
    """Write ``reports/<name>/summary.md`` and ``cd.png`` over ``experiments`` (read from the
    store) and the report folders ``bundles`` (read from their bundles); return the .md.

    Raises:
        MmbenchError: fewer than two experiments or two shared configurations, a repeated
            experiment, or a metric fingerprint or task version that differs (named).
    """
    from mmbench.reporting.source import BundleSource, StoreSource

    out_dir = contained(out_root, name, what="summary folder")
    sources = [BundleSource(b) for b in bundles or []]
    names = list(experiments) + [b.experiment for b in sources]
    if len(names) < 2:
        raise MmbenchError(
            "--summary: needs at least two experiments (mmbench report A B --summary NAME, "
            "or --from reports/A --from reports/B)"
        )
    repeated = sorted({e for e in names if names.count(e) > 1})
    if repeated:
        raise MmbenchError(f"--summary: experiment named twice: {', '.join(repeated)}")
    store = StoreSource(uri) if experiments else None
    entries = [entry(store, e, split) for e in experiments]
    entries += [entry(b, b.experiment, split) for b in sources]
    check_compatible(entries)
    shared = [lab for lab in entries[0].means.index if all(lab in e.means for e in entries)]
    shared = [lab for lab in shared if all(np.isfinite(e.means[lab]) for e in entries)]
    every = dict.fromkeys(lab for e in entries for lab in e.means.index)
    dropped = [lab for lab in every if lab not in shared]
    if len(shared) < 2:
        per = "; ".join(f"{e.experiment}: {', '.join(map(str, e.means.index))}" for e in entries)
        raise MmbenchError(
            f"--summary: fewer than two configurations (labels) are in every experiment ({per})"
        )
    scores = np.array([[e.means[lab] for lab in shared] for e in entries])
    test = rank_test(scores, [e.higher for e in entries], alpha)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plot_cd(shared, test.avg_ranks, test.cd, out_dir / "cd.png",
            f"average rank over {test.n} experiments (Nemenyi CD, α = {alpha})")  # fmt: skip
    md = out_dir / "summary.md"
    atomic_write_text(md, summary_markdown(name, entries, shared, test, dropped))
    if not experiments:  # made from bundles alone: say which, so anyone can remake it
        inputs = {"from": [_relative(b, out_dir) for b in bundles], "split": split, "alpha": alpha}
        atomic_write_text(out_dir / INPUTS, json.dumps(inputs, indent=1) + "\n")
    return md


INPUTS = "summary_inputs.json"  # a summary made from bundles: their folders, split and alpha


def _relative(folder: str | Path, out_dir: Path) -> str:
    """``folder`` relative to the summary folder (portable), else as given."""
    try:
        return Path(os.path.relpath(Path(folder).resolve(), out_dir.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return str(folder)
