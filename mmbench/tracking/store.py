"""Which MLflow store to use, and initialising it safely.

Default: the embedded SQLite store ``sqlite:///<cwd>/mlflow.db`` (MLflow 3's own default; its
file store is refused). ``$MLFLOW_TRACKING_URI`` or the spec's ``tracking.uri`` override it.
Two processes that open a fresh store at once race in the schema migration, so the parent
initialises the store once (``init_store``) before any worker starts.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from mlflow.tracking import MlflowClient

from mmbench.errors import MmbenchError
from mmbench.files import contained


def resolve_uri(uri: str | None = None) -> str:
    uri = uri or os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{Path.cwd() / 'mlflow.db'}"
    if uri.startswith("file:") or ("://" not in uri and not uri.startswith("databricks")):
        raise MmbenchError(
            f"tracking.uri: '{uri}' is a file store, which MLflow 3 refuses; use a database URI "
            "such as sqlite:///mlflow.db (the default) or a server http://host:port"
        )
    return uri


def artifact_root(uri: str) -> str | None:
    """For a SQLite store, artifacts live beside the database file (``mlartifacts/``)."""
    if uri.startswith("sqlite:///"):
        db = Path(uri[len("sqlite:///") :])
        return (db.parent / "mlartifacts").resolve().as_uri()
    return None


def init_store(uri: str) -> MlflowClient:
    """A client on ``uri`` with the schema created (call once, in the parent process).

    For a SQLite store the first initialisation holds an exclusive file lock, so two
    ``mmbench run`` commands started at once on a fresh store do not race in MLflow's schema
    migration (one of them crashed in 5 of 5 trials without it).
    """
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    with _init_lock(uri):
        try:
            client = MlflowClient(tracking_uri=uri)  # may create the schema on first use
            client.search_experiments(max_results=1)
        except Exception as exc:  # unreachable server, bad database URI
            raise MmbenchError(f"tracking.uri: cannot open MLflow store '{uri}': {exc}") from None
    return client


@contextlib.contextmanager
def _init_lock(uri: str):
    if not uri.startswith("sqlite:///"):
        yield
        return
    db = Path(uri[len("sqlite:///") :])
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.with_name(db.name + ".init-lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def experiment_artifacts(name: str, uri: str) -> str | None:
    """The artifact location of a new experiment ``name``: ``<root>/<name>`` for a SQLite store;
    a name that would lead outside the artifact root is refused."""
    root = artifact_root(uri)
    if root is None:
        return None
    root_path = Path(uri[len("sqlite:///") :]).parent / "mlartifacts"
    return contained(root_path, name, what="experiment's artifact folder").as_uri()


def get_or_create_experiment(client: MlflowClient, name: str, uri: str) -> str:
    location = experiment_artifacts(name, uri)  # checked even when the experiment exists
    exp = client.get_experiment_by_name(name)
    if exp is not None:
        if exp.lifecycle_stage == "deleted":
            client.restore_experiment(exp.experiment_id)
        return exp.experiment_id
    try:
        return client.create_experiment(name, artifact_location=location)
    except Exception:  # created meanwhile by a parallel worker
        exp = client.get_experiment_by_name(name)
        if exp is None:
            raise
        return exp.experiment_id
