"""Tuning on a PostgreSQL MLflow store: the studies live in the schema ``optuna`` of the same
database, and a second run resumes them (a real server on loopback; skips without one)."""

from __future__ import annotations

import pytest
import sqlalchemy

from mmbench import api
from tests.scaleout.pgcluster import start_cluster
from tests.tuning.helpers import runs, write_spec

optuna = pytest.importorskip("optuna")
pytest.importorskip("psycopg")

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def pg_uri():
    cluster = start_cluster(("mlflow",))
    try:
        yield cluster.uri("mlflow")
    finally:
        cluster.stop()


def test_studies_go_to_the_optuna_schema_of_the_store_and_resume(pg_uri, tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", pg_uri)
    monkeypatch.delenv("MMBENCH_OPTUNA_STORAGE", raising=False)
    monkeypatch.chdir(tmp_path)
    api.run(write_spec(tmp_path, trials=2))
    assert len(runs(pg_uri, "trial")) == 4 and len(runs(pg_uri, "final", "FINISHED")) == 4

    engine = sqlalchemy.create_engine(pg_uri)
    with engine.connect() as conn:
        tables = set(sqlalchemy.inspect(conn).get_table_names(schema="optuna"))
        names = conn.execute(sqlalchemy.text("SELECT study_name FROM optuna.studies")).scalars()
        studies = sorted(names)
        public = set(sqlalchemy.inspect(conn).get_table_names(schema="public"))
    engine.dispose()
    assert {"studies", "trials", "alembic_version"} <= tables
    assert "studies" not in public and "experiments" in public  # MLflow's tables stay apart
    assert len(studies) == 2 and all(s.startswith("tuned:") for s in studies)

    api.run(write_spec(tmp_path, trials=3))  # a raised budget resumes both studies
    assert len(runs(pg_uri, "trial")) == 6
    for name in studies:
        storage = optuna.storages.RDBStorage(
            pg_uri, engine_kwargs={"connect_args": {"options": "-csearch_path=optuna"}}
        )
        study = optuna.load_study(study_name=name, storage=storage)
        assert [t.state for t in study.get_trials()] == [optuna.trial.TrialState.COMPLETE] * 3
