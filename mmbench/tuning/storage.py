"""Where a tuning's Optuna studies live: next to the MLflow store, so a re-run resumes them.

MLflow and Optuna both keep their schema version in an ``alembic_version`` table, so they
cannot share one SQLite file or one PostgreSQL schema (Optuna refuses MLflow's version). For
``sqlite:///…/mlflow.db`` the studies go to ``…/mlflow.optuna.db`` beside it (same folder, so
the two move together); for a PostgreSQL store, to the schema ``optuna`` of the same database;
for a tracking server (``http://…``, whose database mmbench cannot see) set
``$MMBENCH_OPTUNA_STORAGE`` to an Optuna storage URL, which also overrides the others.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mmbench.errors import MmbenchError

ENV = "MMBENCH_OPTUNA_STORAGE"
PG_SCHEMA = "optuna"
INSTALL = "pip install 'mmbench[tune]'"


def import_optuna() -> Any:
    """The ``optuna`` module, or a user error saying how to install it."""
    try:
        import optuna
    except ImportError:
        raise MmbenchError(
            f"tune: hyperparameter search needs Optuna, which is not installed; install it "
            f"with: {INSTALL}"
        ) from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    logging.getLogger("optuna").setLevel(logging.WARNING)
    return optuna


def storage_url(tracking_uri: str) -> str:
    """The Optuna storage URL that belongs to the MLflow store ``tracking_uri``."""
    if os.environ.get(ENV):
        return os.environ[ENV]
    if tracking_uri.startswith("sqlite:///"):
        db = Path(tracking_uri[len("sqlite:///") :])
        sibling = db.with_name(db.stem + ".optuna" + (db.suffix or ".db"))
        return f"sqlite:///{sibling}"
    if tracking_uri.startswith(("postgresql", "mysql")):
        return tracking_uri
    raise MmbenchError(
        f"tune: cannot place the Optuna studies for the MLflow store '{tracking_uri}' (only a "
        f"SQLite or PostgreSQL store has a database beside it); set ${ENV} to an Optuna "
        "storage URL such as sqlite:///optuna.db or postgresql+psycopg://USER:PASS@HOST/DB"
    )


def open_storage(url: str) -> Any:
    """An Optuna ``RDBStorage`` on ``url`` (PostgreSQL: in the schema ``optuna``)."""
    optuna = import_optuna()
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs = {"connect_args": {"timeout": 60}}  # wait out a concurrent writer
    elif url.startswith("postgresql") and not os.environ.get(ENV):
        _create_schema(url)
        kwargs = {"connect_args": {"options": f"-csearch_path={PG_SCHEMA}"}}
    try:
        return optuna.storages.RDBStorage(url, engine_kwargs=kwargs)
    except Exception as exc:
        raise MmbenchError(f"tune: cannot open the Optuna storage '{url}': {exc}") from None


def _create_schema(url: str) -> None:
    # tests/tuning/test_postgres_storage.py runs this on a real server
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f"CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA}"))
    engine.dispose()
