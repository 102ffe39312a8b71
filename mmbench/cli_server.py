"""``mmbench server``: the team tracking server (MLflow on PostgreSQL with basic auth)."""

from __future__ import annotations

from pathlib import Path

import click

from mmbench.tracking.server import PERMISSIONS, ServerConfig, serve, server_command


@click.command()
@click.option(
    "--backend-store-uri",
    envvar="MMBENCH_SERVER_BACKEND_STORE_URI",
    required=True,
    help="Database for runs and metrics, e.g. postgresql+psycopg://mlflow:PASS@db:5432/mlflow "
    "(env MMBENCH_SERVER_BACKEND_STORE_URI).",
)
@click.option(
    "--artifacts-destination",
    default="./mlflow-artifacts",
    show_default=True,
    help="Where the server stores artifacts (a folder, or s3://… etc.); clients upload "
    "through the server.",
)
@click.option(
    "--state-dir",
    default="./mmbench-server",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Basic-auth config, user database and secret key live here.",
)
@click.option(
    "--auth-db-uri",
    default=None,
    help="User database of the basic-auth app (default: SQLite in --state-dir).",
)
@click.option(
    "--default-permission",
    type=click.Choice(PERMISSIONS),
    default="EDIT",
    show_default=True,
    help="What every signed-in user may do on experiments others created.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="0.0.0.0 for the lab.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--no-auth", is_flag=True, help="No basic auth (a trusted network only).")
@click.option("--dry-run", is_flag=True, help="Print the mlflow command and exit.")
def server(
    backend_store_uri: str,
    artifacts_destination: str,
    state_dir: Path,
    auth_db_uri: str | None,
    default_permission: str,
    host: str,
    port: int,
    workers: int,
    no_auth: bool,
    dry_run: bool,
) -> None:
    """Run the team MLflow tracking server until Ctrl-C (or SIGTERM).

    The first start needs MLFLOW_AUTH_ADMIN_PASSWORD (and optionally MLFLOW_AUTH_ADMIN_USERNAME,
    default 'admin'). Users point mmbench at it with MLFLOW_TRACKING_URI=http://HOST:PORT,
    MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD.
    """
    cfg = ServerConfig(
        backend_store_uri=backend_store_uri,
        artifacts_destination=artifacts_destination,
        state_dir=state_dir,
        host=host,
        port=port,
        workers=workers,
        auth=not no_auth,
        auth_db_uri=auth_db_uri,
        default_permission=default_permission,
    )
    cfg.validate()
    if dry_run:
        click.echo(" ".join(server_command(cfg)))
        return
    auth = "basic auth" if cfg.auth else "NO auth"
    click.echo(f"mmbench server on http://{host}:{port} ({auth}; Ctrl-C to stop)")
    raise SystemExit(serve(cfg))
