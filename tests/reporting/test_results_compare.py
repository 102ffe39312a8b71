"""``mmbench results`` (tidy tables for notebooks) and ``mmbench compare`` (do two runs agree,
what differs) on runs trained into a real MLflow store."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.cli import cli
from mmbench.errors import MmbenchError
from mmbench.reporting import build_report
from mmbench.reporting.results import results
from mmbench.reporting.run_compare import AGREE, DIFFERENT, DRIFT, compare_runs

pytestmark = pytest.mark.e2e

SPEC = """
name: tiny
task: vqa
dataset: {name: shapes, kwargs: {n_train: 96, n_val: 24, n_test: 48, seed: 3}}
model:
  dim: 16
  encoders:
    image: {name: cnn}
    text: {name: gru}
  fusion: {name: concat}
train: {epochs: 1, batch_size: 32, seed: 0, max_steps: 2}
tracking: {experiment: tiny}
sweep:
  model.fusion.name: [concat, film]
  train.seed: [0, 1, 2]
"""


@pytest.fixture
def trained(write, mlflow_uri):
    path = write(SPEC)
    assert not run(path).failures
    frame = results("tiny", mlflow_uri)
    return path, frame.set_index(["configuration", "seed"])["run_id"]


def test_results_per_run_and_per_example_also_from_a_bundle(trained, mlflow_uri, tmp_path):
    _, ids = trained
    runs = results("tiny", mlflow_uri)
    assert len(runs) == 6 and set(runs["configuration"]) == {"fusion=concat", "fusion=film"}
    assert sorted(runs["seed"].tolist()) == [0, 0, 1, 1, 2, 2]
    assert {"test/vqa_acc", "cost/params_total", "params.train.lr"} <= set(runs.columns)
    examples = results("tiny", mlflow_uri, per="example")
    assert len(examples) == 6 * 48 and examples.groupby("run_id")["id"].nunique().eq(48).all()
    means = examples.groupby("run_id")["vqa_acc"].mean()
    logged = runs.set_index("run_id")["test/vqa_acc"]
    assert means.sort_index().tolist() == pytest.approx(logged.sort_index().tolist(), abs=0.01)
    folder = build_report("tiny", mlflow_uri, tmp_path / "r").path.parent
    again = results(per="example", bundle=folder)
    pd.testing.assert_frame_equal(
        again.sort_values(["run_id", "id"]).reset_index(drop=True),
        examples.sort_values(["run_id", "id"]).reset_index(drop=True),
        check_dtype=False,
    )
    with pytest.raises(MmbenchError, match="per: 'runs' is not one of run, example; did you mean"):
        results("tiny", mlflow_uri, per="runs")


def test_compare_same_seed_agrees_and_a_changed_score_is_drift(trained, mlflow_uri):
    path, ids = trained
    first = ids[("fusion=concat", 0)]
    assert not run(path, ["sweep.model.fusion.name=[concat]", "sweep.train.seed=[0]"],
                   force=True).failures  # fmt: skip
    again = results("tiny", mlflow_uri).set_index(["configuration", "seed"])["run_id"]
    rerun = again[("fusion=concat", 0)]
    assert rerun != first
    same = compare_runs(first, rerun, mlflow_uri)
    assert same.verdict == AGREE and same.delta == 0.0
    assert "should be identical" in same.text()
    client = MlflowClient(mlflow_uri)  # the same run logged again with another score
    src = client.get_run(first)
    fake = client.create_run(src.info.experiment_id, tags=src.data.tags).info.run_id
    client.log_metric(fake, "test/vqa_acc", src.data.metrics["test/vqa_acc"] + 5.0)
    client.set_terminated(fake)
    drift = compare_runs(first, fake, mlflow_uri)
    assert drift.verdict == DRIFT and drift.delta == pytest.approx(5.0)


def test_compare_names_what_differs_between_configurations(trained, mlflow_uri):
    _, ids = trained
    out = compare_runs(ids[("fusion=concat", 0)], ids[("fusion=film", 1)], mlflow_uri)
    assert out.verdict == DIFFERENT
    assert out.differences["param model.fusion.name"] == ("concat", "film")
    assert out.differences["param train.seed"] == ("0", "1")
    assert "test set (SHA-256 of ids)" not in out.differences  # one test set
    tags = MlflowClient(mlflow_uri).get_run(ids[("fusion=film", 1)]).data.tags
    assert int(tags["mmbench.env.threads"]) >= 1 and tags["mmbench.env.torch"]  # where it ran
    assert tags["mmbench.env.cpu"] and "CPU" not in out.differences  # one machine
    assert "numpy=" in tags["mmbench.env.packages"] and "pillow=" in tags["mmbench.env.packages"]
    seeds = compare_runs(ids[("fusion=film", 0)], ids[("fusion=film", 2)], mlflow_uri)
    assert seeds.verdict in (AGREE, DRIFT) and "1.96·√2·s" in seeds.text()


def test_cli_results_and_compare(trained, mlflow_uri, tmp_path):
    _, ids = trained
    runner = CliRunner()
    out = tmp_path / "runs.csv"
    result = runner.invoke(cli, ["results", "tiny", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 6
    result = runner.invoke(cli, ["results", "tiny", "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "allowed: .csv, .parquet" in result.output
    result = runner.invoke(cli, ["compare", ids[("fusion=concat", 0)], "missing-run"])
    assert result.exit_code == 2 and "no run 'missing-run'" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["compare", ids[("fusion=concat", 0)], ids[("fusion=film", 0)]])
    assert result.exit_code == 0 and "verdict: different configurations" in result.output
