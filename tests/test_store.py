"""The MLflow store: URI resolution and safe concurrent initialisation of a fresh store."""

from __future__ import annotations

import multiprocessing

import pytest

from mmbench.errors import MmbenchError
from mmbench.tracking.store import init_store, resolve_uri


def test_default_is_sqlite_in_cwd(tmp_path, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_uri() == f"sqlite:///{tmp_path / 'mlflow.db'}"


def test_env_and_spec_override(monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:////x/env.db")
    assert resolve_uri() == "sqlite:////x/env.db"
    assert resolve_uri("sqlite:////x/spec.db") == "sqlite:////x/spec.db"


def test_file_store_is_refused_clearly():
    with pytest.raises(MmbenchError, match="file store, which MLflow 3 refuses"):
        resolve_uri("./mlruns")


def _init(uri):
    init_store(uri).search_experiments(max_results=1)


def test_two_processes_initialise_a_fresh_store_without_racing(tmp_path):
    uri = f"sqlite:///{tmp_path / 'fresh.db'}"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_init, args=(uri,)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
