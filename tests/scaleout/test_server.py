"""The team tracking server: MLflow on a real PostgreSQL cluster with basic auth, on loopback."""

from __future__ import annotations

import base64
import importlib.util
import textwrap
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.cli import cli
from mmbench.tracking import server as srv
from tests.scaleout import raykit
from tests.scaleout.pgcluster import free_port, start_cluster, wait_http

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
raykit.loopback_env()  # before Ray is imported (used only where it is installed)

SPEC = """
name: team
task: vqa
dataset: {name: shapes, kwargs: {n_train: 64, n_val: 16, n_test: 16, seed: 3}}
model:
  dim: 16
  encoders: {image: {name: cnn}, text: {name: bow}}
  head: {name: classifier, kwargs: {hidden: 16}}
train: {epochs: 1, batch_size: 32, seed: 0, log_every: 1}
tracking: {experiment: team_server}
sweep: {train.seed: [0, 1]}
"""
USER, PASSWORD = "admin", "s3cret-for-tests"


def _status(url: str, user: str | None = None, password: str | None = None) -> int:
    req = urllib.request.Request(url)
    if user:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    try:
        return urllib.request.urlopen(req, timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def team_server(tmp_path, monkeypatch):
    pg = start_cluster(("mlflow",))
    monkeypatch.setenv("MLFLOW_AUTH_ADMIN_USERNAME", USER)
    monkeypatch.setenv("MLFLOW_AUTH_ADMIN_PASSWORD", PASSWORD)
    port = free_port()
    cfg = srv.ServerConfig(
        backend_store_uri=pg.uri("mlflow"),
        artifacts_destination=str(tmp_path / "artifacts"),
        state_dir=tmp_path / "state",
        port=port,
    )
    url = f"http://127.0.0.1:{port}"
    procs = []

    def start():
        log = open(tmp_path / f"server{len(procs)}.log", "wb")
        proc = srv.start(cfg, log_file=log)
        procs.append(proc)
        wait_http(f"{url}/health", proc)
        return proc

    try:
        yield url, start
    finally:
        for proc in procs:
            srv.stop(proc)
        pg.stop()


def test_sweep_on_postgres_server_with_auth_survives_restart(team_server, tmp_path, monkeypatch):
    url, start = team_server
    proc = start()
    search = f"{url}/api/2.0/mlflow/experiments/search?max_results=5"
    assert _status(search) == 401  # no credentials: refused
    assert _status(search, USER, "wrong") == 401
    assert _status(search, USER, PASSWORD) == 200

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", url)
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", USER)
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", PASSWORD)
    spec = tmp_path / "team.yaml"
    spec.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    out = run(spec, workers=2)
    assert not out.failures and len(out.outcomes) == 2 and out.tracking_uri == url

    if importlib.util.find_spec("ray") is not None:  # the same sweep as Ray tasks
        on_ray = run(spec, ["execution.backend=ray", "tracking.experiment=team_server_ray"])
        assert not on_ray.failures and len(on_ray.outcomes) == 2

    result = CliRunner().invoke(cli, ["report", "team_server", "--tracking-uri", url])
    assert result.exit_code == 0, result.output
    assert "| Configuration | seeds |" in result.output and "| 2 " in result.output

    client = MlflowClient(url)
    exp = client.get_experiment_by_name("team_server")
    before = {r.info.run_id for r in client.search_runs([exp.experiment_id])}
    files = {a.path for a in client.list_artifacts(out.outcomes[0].run_id)}
    assert "spec.yaml" in files  # uploaded through the server to --artifacts-destination

    srv.stop(proc)
    assert proc.poll() is not None
    start()
    after = {r.info.run_id for r in client.search_runs([exp.experiment_id])}
    assert after == before and len(after) == 3  # two points and the sweep's parent run
    again = run(spec, workers=2)
    assert again.skipped == 2 and not again.outcomes


def test_server_refuses_a_file_store_and_needs_an_admin_password(tmp_path, monkeypatch):
    monkeypatch.delenv("MLFLOW_AUTH_ADMIN_PASSWORD", raising=False)
    result = CliRunner().invoke(
        cli, ["server", "--backend-store-uri", str(tmp_path / "runs"), "--dry-run"]
    )
    assert result.exit_code == 2 and "is not a database URI" in result.output
    cfg = srv.ServerConfig("sqlite:///x.db", str(tmp_path / "a"), tmp_path / "state")
    with pytest.raises(srv.MmbenchError, match="MLFLOW_AUTH_ADMIN_PASSWORD"):
        srv.write_auth_config(cfg)
