"""Reports: MLflow runs → pandas → statistics → Markdown/CSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mmbench.errors import MmbenchError
from mmbench.files import contained
from mmbench.reporting.ablation import write_ablation
from mmbench.reporting.breakdown import (
    BreakdownRecord,
    BreakdownTable,
    breakdown_tables,
    write_breakdown,
)
from mmbench.reporting.breakdown_artifacts import breakdown_records
from mmbench.reporting.bundle import copy_bundle, write_bundle
from mmbench.reporting.curves_plot import write_curves
from mmbench.reporting.group_tests import group_tests
from mmbench.reporting.html_report import write_html
from mmbench.reporting.latex import write_latex
from mmbench.reporting.leaderboard import (
    Leaderboard,
    configurations,
    higher_is_better,
    leaderboard,
    write_report,
)
from mmbench.reporting.missing import write_missing
from mmbench.reporting.pareto import write_pareto
from mmbench.reporting.robust_report import write_robustness
from mmbench.reporting.runs import runs_frame
from mmbench.reporting.seed_stats import seed_stats
from mmbench.reporting.source import BundleSource, StoreSource
from mmbench.reporting.tuning import tuning, write_tuning

__all__ = [
    "BreakdownRecord",
    "BreakdownTable",
    "Leaderboard",
    "Report",
    "breakdown_tables",
    "build_report",
    "leaderboard",
    "make_report",
    "runs_frame",
    "write_report",
]


@dataclass
class Report:
    board: Leaderboard
    path: Path  # reports/<experiment>/leaderboard.md
    breakdown: list[BreakdownTable]  # empty when no run logged a breakdown
    breakdown_path: Path | None  # reports/<experiment>/breakdown.md, if written
    robustness_path: Path | None = None  # reports/<experiment>/robustness.md, if written
    views: dict[str, Path | None] = field(default_factory=dict)  # "latex", "html", … → file written


def spec_baseline(runs) -> str | None:
    """The ``report.baseline`` the runs' spec named (logged as a param), if any; the most
    recent run's value when they differ."""
    column = "params.report.baseline"
    if column not in runs:
        return None
    values = runs.sort_values("start_time")[column] if "start_time" in runs else runs[column]
    values = [v for v in values.dropna().astype(str) if v not in ("", "None")]
    return values[-1] if values else None


def build_report(
    experiment: str | None,
    uri: str | None = None,
    out_root: str | Path = "reports",
    split: str = "test",
    against: str | None = None,
    source: str = "--against",
    baseline: str | None = None,
    bundle: str | Path | None = None,
    command: str | None = None,
) -> Report:
    """Read ``experiment`` from the store (or, with ``bundle``, from a report folder's bundle
    alone: ``experiment`` may then be None); write ``reports/<experiment>/leaderboard.md``
    (+ .csv, + .png: intervals and tests across seeds and test examples, see ``seed_stats``)
    and, when its runs logged per-group scores, ``breakdown.md`` (+ .csv, with per-group tests
    against the reference). ``against``: the configuration label the others are tested
    against (``source`` names where it came from, for errors); default the
    ``report.baseline`` of the runs' spec, else every pair is tested and the best is the
    reference. When runs logged ``eval.corruptions`` scores, also ``robustness.md`` (curves,
    summary numbers and tests against ``baseline``, default the leaderboard's reference
    ``against``); with ``eval.missing`` scores, ``missing.md`` (the same tests, one input left
    out). For a tuned spec, a Tuning section and ``tuning.md`` (+ .csv, + .png: every
    trial's values and validation score, see ``reporting.tuning``). A report made from the store
    also writes its bundle (``results.parquet``, ``runs.parquet``, ``manifest.json``, and
    ``trials.parquet`` when tuned; ``command``: how it was made, for the manifest).

    Raises:
        MmbenchError: ``against`` or ``report.baseline`` names no configuration of the runs;
            ``bundle`` is not a readable bundle of ``experiment``.
    """
    origin = BundleSource(bundle) if bundle is not None else StoreSource(uri)
    if isinstance(origin, BundleSource):  # the options the bundle's report was made with
        kept = origin.bundle.manifest.get("options") or {}
        if against is None and kept.get("against") is not None:
            against, source = kept["against"], f"--against (kept in {bundle}/manifest.json)"
        baseline = baseline if baseline is not None else kept.get("baseline")
    options = {"against": against, "baseline": baseline, "split": split}
    if experiment is None:
        if not isinstance(origin, BundleSource):
            raise MmbenchError("report: name an experiment, or a report bundle with --from")
        experiment = origin.experiment
    contained(out_root, experiment, what="report folder")  # refuses names that leave out_root
    runs = origin.runs(experiment)
    board = leaderboard(runs, split=split)
    configs = configurations(runs)
    headline = board.metrics[0]
    if against is None and (against := spec_baseline(configs)) is not None:
        source = f"report.baseline (of the runs' spec in experiment '{experiment}')"
    board.stats = seed_stats(
        configs, headline, origin, higher_is_better(headline), against=against, source=source
    )
    task = configs.get("tags.mmbench.task")
    task = None if task is None or task.dropna().empty else str(task.dropna().mode().iloc[0])
    out_dir = Path(out_root) / experiment
    trials = origin.trials(experiment)
    partial = isinstance(origin, BundleSource) and origin.bundle.trials is None
    board.tuning = tuning(configs, trials, list(board.table["label"]), partial)
    path = write_report(board, experiment, out_dir, origin.shown, task)
    views = {"tuning": write_tuning(board.tuning, experiment, out_dir)}
    views["latex"] = write_latex(board, experiment, out_dir)
    views["pareto"] = write_pareto(configs, headline, higher_is_better(headline), out_dir)
    val_key = "val/" + headline.split("/", 1)[1]
    curves = origin.curves(list(configs["run_id"]), [val_key])
    views["ablation"] = write_ablation(board, configs, against, out_dir)
    views["curves"] = write_curves(curves, configs, val_key, out_dir, list(board.table["label"]))
    records = breakdown_records(configs, origin, split)
    tables = breakdown_tables(records, order=list(board.table["label"]))
    tests = group_tests(tables, board.stats, configs, origin, split)
    breakdown_path = write_breakdown(tables, experiment, out_dir, origin.shown, split, tests)
    robustness_path = write_robustness(
        configs, headline, origin, out_dir, higher_is_better(headline), baseline or against
    )
    views["missing"] = write_missing(
        configs, headline, origin, out_dir, higher_is_better(headline), baseline or against
    )
    pareto_png = views["pareto"] and views["pareto"].with_suffix(".png")
    figures = [(path.with_suffix(".png"), f"{headline} by configuration")]
    figures += [(views["curves"], f"{val_key} over training"), (pareto_png, "cost vs quality")]
    tuning_png = views["tuning"] and views["tuning"].with_suffix(".png")
    views["html"] = write_html(
        board, experiment, out_dir, origin.shown, task, figures, tuning_png or None
    )
    if isinstance(origin, StoreSource):
        firsts = configs.drop_duplicates("_config")
        origin.fetch_all(firsts["artifact_uri"], "spec.yaml", lambda p: True)
        command = command or f"mmbench report {experiment}"
        views["bundle"] = write_bundle(out_dir, experiment, origin, configs, options, command)[0]
    elif out_dir.resolve() != Path(bundle).resolve():
        views["bundle"] = copy_bundle(Path(bundle), out_dir)
    return Report(board, path, tables, breakdown_path, robustness_path, views)


def make_report(
    experiment: str, uri: str | None = None, out_root: str | Path = "reports", split: str = "test"
) -> tuple[Leaderboard, Path]:
    """``build_report`` returning only the leaderboard and the path of ``leaderboard.md``."""
    report = build_report(experiment, uri, out_root, split)
    return report.board, report.path
