"""The ``mmbench`` command line: thin commands over the library (see ``mmbench.api``)."""

from __future__ import annotations

import logging
import os
import shlex
import sys
from pathlib import Path

import click

from mmbench.cli_cache import cache_group
from mmbench.cli_eval import eval_group
from mmbench.cli_results import compare_cmd, results_cmd
from mmbench.cli_server import server
from mmbench.errors import MmbenchError


class MmbenchGroup(click.Group):
    """Prints user errors without a traceback and exits 2 (``MMBENCH_DEBUG=1`` shows it)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MmbenchError as exc:
            if os.environ.get("MMBENCH_DEBUG"):
                raise
            for line in exc.problems:
                click.echo(f"error: {line}", err=True)
            sys.exit(2)
        except KeyboardInterrupt as exc:  # SIGINT, or SIGTERM during a sweep (Interrupted)
            code = getattr(exc, "exit_code", 130)
            click.echo(
                f"{exc or 'interrupted'}: the runs in progress are marked KILLED; "
                "run the same command again to resume",
                err=True,
            )
            sys.exit(code)


@click.group(cls=MmbenchGroup)
@click.version_option(package_name="mmbench")
@click.option("-v", "--verbose", is_flag=True, help="Log at INFO level.")
def cli(verbose: bool) -> None:
    """mmbench: multimodal fusion benchmarks with official metrics and MLflow leaderboards."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    if not verbose:  # MLflow announces its schema migrations at INFO (set before it is imported)
        os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")
        logging.getLogger("alembic").setLevel(logging.WARNING)


class _Workers(click.ParamType):
    name = "N|auto"

    def convert(self, value, param, ctx):
        if str(value).strip().lower() == "auto":
            return "auto"
        try:
            count = int(value)
        except (TypeError, ValueError):
            count = 0
        if not 1 <= count <= 64:
            self.fail(f"'{value}' is neither a number from 1 to 64 nor 'auto'", param, ctx)
        return count


WORKERS = _Workers()

_set_option = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Dotted override, e.g. --set model.fusion.name=film (repeatable).",
)


@cli.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@_set_option
def validate(specs: tuple[Path, ...], overrides: tuple[str, ...]) -> None:
    """Validate SPECS (every sweep point; several files as `mmbench run` combines them) without
    running anything."""
    from mmbench.spec.combine import load_plans

    plan = load_plans(specs, overrides)
    spec = plan.source
    n = len(plan.specs)
    tune = plan.specs[0].tune
    runs = f"{n} run{'s' if n != 1 else ''}"
    if tune is not None:
        runs = f"{n} × {tune.trials} trials, then {n * len(tune.seeds)} final runs"
    click.echo(f"{spec}: OK ({runs}, experiment '{plan.experiment_name}')")


@cli.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@_set_option
@click.option("--force", is_flag=True, help="Re-run points that already have a finished run.")
@click.option("--report/--no-report", default=True, help="Write the leaderboard afterwards.")
@click.option(
    "-j",
    "--workers",
    default="1",
    show_default=True,
    type=WORKERS,
    help="Sweep points run in this many parallel local processes; 'auto': one per core "
    "(one torch thread each, at most one per point) or, for points too small to repay the "
    "workers' start-up, one process with all threads.",
)
@click.option(
    "--backend",
    type=click.Choice(["local", "ray"]),
    default=None,
    help="Where sweep points run (default: the spec's execution.backend, else local).",
)
@click.option(
    "--address",
    default=None,
    metavar="auto|HOST:PORT",
    help="Ray cluster to join (default: the spec's execution.address, else a local instance).",
)
def run(
    specs: tuple[Path, ...],
    overrides: tuple[str, ...],
    force: bool,
    report: bool,
    workers: int | str,
    backend: str | None,
    address: str | None,
) -> None:
    """Train and evaluate SPECS (all sweep points), log to MLflow, then write the leaderboard.

    Several spec files logging to one experiment (an ablation and its baselines) run as one
    sweep: one pool of workers, one report; --set applies to each."""
    from mmbench.api import run as _run
    from mmbench.cli_progress import TqdmProgress

    if backend:
        overrides = (*overrides, f"execution.backend={backend}")
    from mmbench.engine import distributed

    if distributed.launched():  # torchrun: rank 0 runs the sweep, the others train with it
        distributed.init()
        if distributed.rank() > 0:
            from mmbench.sweeps.follow import follow

            follow()
            return
        if workers not in (1, "1") or backend == "ray":
            raise MmbenchError(
                "under torchrun every rank trains the same point: use --workers 1 and the "
                f"local backend (found --workers {workers}, --backend {backend or 'local'})"
            )
    from mmbench.spec.combine import load_plans, report_baseline

    plan = load_plans(specs, overrides)
    spec = plan.source
    for point in plan.specs if address else ():  # a string as given (no YAML parsing)
        point.execution.address = address
    n = len(plan.specs)
    from mmbench.sweeps.workers import point_work, resolve_workers

    workers = resolve_workers(workers, n, [point_work(s) for s in plan.specs])
    how = f" in {workers} parallel workers" if workers > 1 and n > 1 else ""
    if plan.specs[0].execution.backend == "ray":
        how = f" as Ray tasks ({plan.specs[0].execution.address or 'local instance'})"
    tune = plan.specs[0].tune
    if tune is None:
        click.echo(f"{spec}: {n} run{'s' if n != 1 else ''}{how}")
    else:
        click.echo(
            f"{spec}: tuning {n} configuration{'s' if n != 1 else ''}, {tune.trials} trials "
            f"each, then {len(tune.seeds)} final run{'s' if len(tune.seeds) != 1 else ''} "
            f"each{how}"
        )

    def on_done(label, outcome, error) -> None:
        if error:
            click.echo(f"  failed: {label}: {error}", err=True)
        elif outcome is None:
            click.echo(f"  skipped: {label}: another run finished or claimed it meanwhile")
        else:
            shown = ", ".join(f"{k} {v:.2f}" for k, v in outcome.test.items() if "loss" not in k)
            click.echo(f"  done: {label}: {shown}")

    def on_trial(label, result) -> None:
        shown = f"{result.value:.4g}" if result.value is not None else result.error
        click.echo(f"  trial {result.number} of {label}: {result.state} {shown}".rstrip())

    out = _run(
        plan,
        overrides,
        progress_factory=TqdmProgress,
        force=force,
        workers=workers,
        on_done=on_done,
        on_trial=on_trial,
    )
    from mmbench.sweeps import follow as followers

    followers.done()  # torchrun: the other ranks stop waiting for points
    done = len(out.outcomes)
    click.echo(
        f"runs: {done} finished, {out.skipped} skipped (already finished or claimed), "
        f"{len(out.failures)} failed"
        + (
            f", {len(out.reaped)} left RUNNING by dead processes marked KILLED"
            if out.reaped
            else ""
        )
    )
    for study in out.tuning:
        if study.error:  # counted in out.failures: no final runs for it
            click.echo(f"  failed: {study.label}: {study.error}", err=True)
            continue
        values = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                           for k, v in study.best_values.items())  # fmt: skip
        click.echo(
            f"tuned {study.label}: {values} (trial {study.best_trial}, val {study.best_value:.4g};"
            f" {len(study.ran)} trials run now, study {study.study})"
        )
    if report and (done or out.skipped):
        _print_report(
            out.experiment,
            out.tracking_uri,
            against=report_baseline(plan),
            source=f"{spec}: report.baseline",
        )
    click.echo(
        f"MLflow store: {out.tracking_uri} (experiment '{out.experiment}'; browse with: mmbench ui)"
    )
    if out.failures:
        sys.exit(1)


cli.add_command(run, name="sweep")


def _print_report(
    experiment: str | None,
    uri: str | None,
    out_root: str = "reports",
    against: str | None = None,
    source: str = "--against",
    baseline: str | None = None,
    bundle: str | None = None,
    command: str | None = None,
) -> None:
    from mmbench.reporting import build_report

    report = build_report(
        experiment,
        uri,
        out_root,
        against=against,
        source=source,
        baseline=baseline,
        bundle=bundle,
        command=command,
    )
    click.echo("")
    click.echo(report.board.to_markdown())
    click.echo("")
    extra = f" (per-group scores: {report.breakdown_path})" if report.breakdown_path else ""
    click.echo(f"report: {report.path}{extra}")
    if report.robustness_path:
        click.echo(f"robustness: {report.robustness_path}")
    if report.views.get("missing"):
        click.echo(f"missing inputs: {report.views['missing']}")


@cli.command()
@click.argument("experiments", nargs=-1)
@click.option(
    "--from",
    "bundles",
    multiple=True,
    metavar="DIR",
    help="Read a report folder's bundle (results.parquet, runs.parquet, manifest.json) "
    "instead of the store; repeatable. The report is written to <out>/<its experiment>/.",
)
@click.option(
    "--tracking-uri",
    default=None,
    help="MLflow store (default: $MLFLOW_TRACKING_URI or ./mlflow.db).",
)
@click.option("--out", "out_root", default="reports", show_default=True, help="Reports folder.")
@click.option(
    "--summary",
    default=None,
    metavar="NAME",
    help="Rank the configurations over all EXPERIMENTS (average rank, Friedman test, "
    "critical-difference diagram) into <out>/NAME/summary.md instead of one report each.",
)
@click.option(
    "--against",
    default=None,
    metavar="LABEL",
    help="Test every configuration against this one (a row label, e.g. 'fusion=concat'); "
    "default: the spec's report.baseline, else all pairs with the best as reference.",
)
@click.option(
    "--baseline",
    default=None,
    metavar="LABEL",
    help="Baseline of robustness.md (effective robustness and its tests), e.g. 'fusion=late'; "
    "default: --against.",
)
def report(
    experiments: tuple[str, ...],
    bundles: tuple[str, ...],
    tracking_uri: str | None,
    out_root: str,
    summary: str | None,
    against: str | None,
    baseline: str | None,
) -> None:
    """Write the report of each EXPERIMENT (and of each --from bundle) to
    reports/<experiment>/; with --summary NAME, one summary over all of them to reports/NAME/."""
    if not experiments and not bundles:
        raise click.UsageError("name an EXPERIMENT of the store, or a report folder with --from")
    if summary is not None:
        from mmbench.reporting.summary import build_summary

        path = build_summary(
            list(experiments), tracking_uri, out_root, summary, bundles=list(bundles)
        )
        click.echo(path.read_text(encoding="utf-8"))
        click.echo(f"summary: {path}")
        return
    command = "mmbench " + shlex.join(sys.argv[1:]) if sys.argv[1:2] == ["report"] else None
    for experiment in experiments:
        _print_report(
            experiment, tracking_uri, out_root, against, baseline=baseline, command=command
        )
    for folder in bundles:
        _print_report(None, None, out_root, against, baseline=baseline, bundle=folder)


@cli.command(name="ls")
@click.argument(
    "kind",
    required=False,
    type=click.Choice(
        ["encoders", "fusions", "heads", "tasks", "datasets", "metrics", "corruptions"]
    ),
)
def ls_(kind: str | None) -> None:
    """List registered components (all kinds, or one)."""
    from mmbench.registry import ALL

    for name, registry in ALL.items():
        if kind and name != kind:
            continue
        click.echo(f"{name}:")
        for item in registry.names():
            extra = getattr(registry.get(item), "kind", "")
            extra = f"[{extra}] " if isinstance(extra, str) and extra else ""
            click.echo(f"  {item:<24} {extra}{registry.summary(item)}")
            declared = getattr(registry.get(item), "score_infos", {})
            if declared:  # metrics: what each score means (mmbench.metrics.info)
                shown = ", ".join(
                    f"{s.name} {'↑' if s.higher_is_better else '↓'} {s.aggregation}"
                    for s in declared.values()
                )
                click.echo(f"  {'':<24} scores: {shown}")


@cli.command()
@click.option(
    "--tracking-uri",
    default=None,
    help="MLflow store (default: $MLFLOW_TRACKING_URI or ./mlflow.db).",
)
@click.option("--port", default=5000, show_default=True)
def ui(tracking_uri: str | None, port: int) -> None:
    """Open the MLflow UI on the same store that runs log to."""
    from mmbench.tracking.ui import serve_ui

    def announce(uri: str) -> None:
        click.echo(f"MLflow UI on http://127.0.0.1:{port} for {uri} (Ctrl-C to stop)")

    raise SystemExit(serve_ui(tracking_uri, port, on_start=announce))


cli.add_command(eval_group, name="eval")
cli.add_command(server, name="server")
cli.add_command(cache_group, name="cache")
cli.add_command(results_cmd, name="results")
cli.add_command(compare_cmd, name="compare")


def main() -> None:
    cli(prog_name="mmbench")


if __name__ == "__main__":
    main()
