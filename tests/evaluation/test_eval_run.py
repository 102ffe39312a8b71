"""``mmbench eval run`` / ``evaluate_run``: a trained run's checkpoint scored on another
dataset, on a real MLflow store — the same data gives the trained run's own test score, other
data is logged with the run's label and seed, re-evaluating counts once, and bad inputs are
refused with exit 2."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.cli import cli
from mmbench.errors import MmbenchError
from mmbench.evaluation.transfer import evaluate_run
from mmbench.reporting import build_report
from mmbench.tracking import schema

pytestmark = pytest.mark.e2e

SPEC = """
name: tiny_vqa_transfer
task: vqa
dataset: {name: shapes, kwargs: {n_train: 96, n_val: 24, n_test: 40, seed: 0}}
model:
  dim: 16
  encoders: {image: {name: cnn, kwargs: {widths: [8]}}, text: {name: bow}}
  fusion: {name: concat}
  head: {name: classifier, kwargs: {hidden: 16}}
train: {epochs: 2, batch_size: 32, lr: 0.003, seed: 0}
tracking: {experiment: trained_here}
sweep:
  train.seed: [0, 1]
"""


@pytest.fixture
def trained(mlflow_uri, tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    out = run(path)
    assert len(out.outcomes) == 2 and not out.failures
    return out.outcomes


def test_the_same_data_reproduces_the_trained_runs_test_score(trained, mlflow_uri):
    first = trained[0]
    again = evaluate_run(first.run_id)
    assert again.scores["test/vqa_acc"] == first.test["test/vqa_acc"]
    assert again.scores["test/loss"] == pytest.approx(first.test["test/loss"], rel=1e-6)


def test_other_data_is_logged_as_the_runs_configuration_and_counted_once(trained, mlflow_uri):
    ids = [o.run_id for o in trained]
    args = ["eval", "run", *ids, "--set", "dataset.kwargs.seed=5"]
    args += ["--set", "dataset.kwargs.distractors=1.0", "--log", "transferred", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]  # nothing but JSON
    assert [d["run_id"] for d in lines] == ids and all(d["n"] == 40 for d in lines)
    client = MlflowClient(mlflow_uri)
    exp = client.get_experiment_by_name("transferred")
    logged = client.search_runs([exp.experiment_id])
    assert {r.data.tags[schema.EVALUATED_RUN] for r in logged} == set(ids)
    source = client.get_run(ids[0]).data.tags
    mine = next(r for r in logged if r.data.tags[schema.EVALUATED_RUN] == ids[0])
    assert mine.data.tags[schema.LABEL] == source[schema.LABEL]
    assert mine.data.tags[schema.KIND] == schema.KIND_EVAL
    assert mine.data.params["dataset.kwargs.distractors"] == "1.0"
    evaluate_run(ids[0], overrides=["dataset.kwargs.seed=5", "dataset.kwargs.distractors=1.0"],
                 experiment="transferred")  # fmt: skip  # the same evaluation again
    report = build_report("transferred", out_root="reports")
    (row,) = report.board.table.to_dict("records")
    assert row["n"] == 2  # three evaluation runs, two (run, dataset) pairs: counted once each


def test_bad_inputs_exit_2_naming_the_problem(trained, mlflow_uri):
    runner = CliRunner()
    cases = {
        ("no-such-run",): "no such run",
        (trained[0].run_id, "--set", "model.dim=8"): "only dataset.* and eval.*",
        (trained[0].run_id, "--dataset", "no_such_set"): "no_such_set",
    }
    for args, expected in cases.items():
        result = runner.invoke(cli, ["eval", "run", *args])
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.output and "Traceback" not in result.output


def test_a_run_without_a_checkpoint_is_refused(mlflow_uri):
    client = MlflowClient(mlflow_uri)
    exp = client.create_experiment("external")
    rid = client.create_run(exp, tags={schema.KIND: schema.KIND_EVAL}).info.run_id
    with pytest.raises(MmbenchError, match="no checkpoint/model.pt"):
        evaluate_run(rid)
