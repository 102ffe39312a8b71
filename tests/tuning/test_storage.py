"""Where the Optuna studies go, for each kind of MLflow store."""

from __future__ import annotations

import pytest

from mmbench.errors import MmbenchError
from mmbench.tuning.storage import ENV, storage_url


def test_a_sqlite_store_gets_a_sibling_study_file(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    assert storage_url("sqlite:////data/runs/mlflow.db") == "sqlite:////data/runs/mlflow.optuna.db"
    assert storage_url("sqlite:////data/store") == "sqlite:////data/store.optuna.db"


def test_a_database_store_keeps_its_database(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    url = "postgresql+psycopg://u:p@db:5432/mlflow"
    assert storage_url(url) == url  # the tables go to the schema "optuna" (open_storage)


def test_a_tracking_server_needs_the_environment_variable(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(MmbenchError) as info:
        storage_url("http://mlflow.team:5000")
    (line,) = info.value.problems
    assert "http://mlflow.team:5000" in line and f"set ${ENV}" in line
    monkeypatch.setenv(ENV, "sqlite:////tmp/studies.db")
    assert storage_url("http://mlflow.team:5000") == "sqlite:////tmp/studies.db"
