"""``mmbench results EXP`` (a tidy table of runs or per-example scores) and ``mmbench compare
RUN_A RUN_B`` (do two runs agree, and what differs)."""

from __future__ import annotations

from pathlib import Path

import click

from mmbench.errors import MmbenchError

URI_HELP = "MLflow store (default: $MLFLOW_TRACKING_URI or ./mlflow.db)."
FORMATS = (".csv", ".parquet")


@click.command("results")
@click.argument("experiment", required=False)
@click.option("--from", "bundle", default=None, metavar="DIR", help="Read a report bundle.")
@click.option("--tracking-uri", default=None, help=URI_HELP)
@click.option(
    "--per",
    type=click.Choice(["run", "example"]),
    default="run",
    show_default=True,
    help="One row per counted run, or per run and test example.",
)
@click.option("--out", default=None, metavar="FILE", help="Write the table (.csv or .parquet).")
def results_cmd(
    experiment: str | None, bundle: str | None, tracking_uri: str | None, per: str, out: str | None
) -> None:
    """The counted runs of EXPERIMENT (or of a report folder, --from) as one tidy table; the
    same as ``mmbench.reporting.results.results`` in a notebook."""
    from mmbench.reporting.results import results

    if experiment is None and bundle is None:
        raise click.UsageError("name an EXPERIMENT of the store, or a report folder with --from")
    if out is not None and Path(out).suffix not in FORMATS:
        raise MmbenchError(
            f"--out: '{out}' ends in '{Path(out).suffix}'; allowed: {', '.join(FORMATS)}"
        )
    table = results(experiment, tracking_uri, per=per, bundle=bundle)
    if out is None:
        click.echo(table.to_string(max_rows=40, max_cols=12))
        return
    from mmbench.files import atomic_path

    with atomic_path(out) as tmp:
        if out.endswith(".csv"):
            table.to_csv(tmp, index=False)
        else:
            table.to_parquet(tmp, index=False)
    click.echo(f"{len(table):,} rows × {len(table.columns)} columns → {out}")


@click.command("compare")
@click.argument("run_a")
@click.argument("run_b")
@click.option("--tracking-uri", default=None, help=URI_HELP)
def compare_cmd(run_a: str, run_b: str, tracking_uri: str | None) -> None:
    """Whether two runs agree (the same seed: identical scores; different seeds: within the
    configuration's seed spread), and what differs between them."""
    from mmbench.reporting.run_compare import compare_runs

    click.echo(compare_runs(run_a, run_b, tracking_uri).text())
