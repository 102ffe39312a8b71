"""`mmbench run A.yaml B.yaml`: an ablation and its baseline in separate files run as one sweep
(one parent run, one report against the baseline one of them names); files that disagree on
what makes them one sweep, or list one configuration twice, are refused before anything runs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench.cli import cli
from mmbench.errors import MmbenchError
from mmbench.spec.combine import load_plans, report_baseline
from mmbench.tracking import schema

BASE = """
task: vqa
dataset: {name: shapes, kwargs: {n_train: 32, n_val: 16, n_test: 16, seed: 3}}
model:
  dim: 8
  encoders: {image: {name: mlp}, text: {name: bow}}
  fusion: {name: concat}
  head: {name: classifier, kwargs: {hidden: 8}}
train: {epochs: 1, batch_size: 16, lr: 0.003, seed: 0, log_every: 1, device: cpu}
tracking: {experiment: together}
"""

ABLATION = (
    BASE
    + """
name: ablation
sweep:
  model.fusion.name: [concat, sum]
report: {baseline: text_only}
"""
)

TEXT_ONLY = (
    BASE.replace("image: {name: mlp}", "image: null")
    + """
name: text_only
"""
)


def test_two_files_run_as_one_sweep_and_report_against_the_named_baseline(write, mlflow_uri):
    a, b = write(ABLATION, "ablation.yaml"), write(TEXT_ONLY, "text_only.yaml")
    result = CliRunner().invoke(cli, ["run", str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert "ablation.yaml + " in result.output and ": 3 runs" in result.output
    assert "p vs text_only" in result.output  # the baseline named by the first file only
    client = MlflowClient(mlflow_uri)
    exp = client.get_experiment_by_name("together")
    runs = client.search_runs([exp.experiment_id])
    parents = [r for r in runs if r.data.tags.get(schema.KIND) == schema.KIND_SWEEP]
    points = [r for r in runs if r.data.tags.get(schema.KIND) != schema.KIND_SWEEP]
    assert len(parents) == 1 and parents[0].data.tags[schema.POINTS] == "3"
    assert {r.data.tags["mlflow.parentRunId"] for r in points} == {parents[0].info.run_id}
    labels = sorted(r.data.tags[schema.LABEL] for r in points)
    assert labels == ["fusion=concat", "fusion=sum", "text_only"]
    again = CliRunner().invoke(cli, ["run", str(b), str(a)])  # order does not matter
    assert again.exit_code == 0 and "3 skipped" in again.output


def test_the_baseline_is_found_whichever_file_names_it(write):
    plan = load_plans([write(TEXT_ONLY, "t.yaml"), write(ABLATION, "a.yaml")])
    assert plan.specs[0].report.baseline is None and report_baseline(plan) == "text_only"
    assert [len(p) for p in plan.points] == [0, 1, 1]


@pytest.mark.parametrize(
    "other, expected",
    [
        (TEXT_ONLY.replace("experiment: together", "experiment: elsewhere"),
         "tracking.experiment: 'elsewhere' differs from 'together'"),
        (TEXT_ONLY + "execution: {backend: ray}\n", "execution: "),
        (TEXT_ONLY + "report: {baseline: ablation}\n", "the specs name different baselines"),
        (BASE + "name: again\n", "the same configuration as "),  # = the ablation's concat
        (TEXT_ONLY + "tune: {space: {train.lr: {type: loguniform, low: 1.0e-4, high: 1.0e-2}}}\n",
         "a tuned spec runs on its own"),
    ],
    ids=["experiment", "execution", "baseline", "duplicate", "tuned"],
)  # fmt: skip
def test_files_that_cannot_run_together_are_refused_naming_the_file(write, other, expected):
    a, b = write(ABLATION, "ablation.yaml"), write(other, "other.yaml")
    with pytest.raises(MmbenchError) as err:
        load_plans([a, b])
    assert any(expected in p and "other.yaml" in p for p in err.value.problems), err.value.problems
    result = CliRunner().invoke(cli, ["validate", str(a), str(b)])
    assert result.exit_code == 2 and expected in result.output and "Traceback" not in result.output


def test_every_files_problems_are_listed_at_once(write):
    bad_a = write(ABLATION.replace("lr: 0.003", "lr: fast"), "a.yaml")
    bad_b = write(TEXT_ONLY.replace("epochs: 1", "epochs: -1"), "b.yaml")
    with pytest.raises(MmbenchError) as err:
        load_plans([bad_a, bad_b])
    text = "\n".join(err.value.problems)
    assert "a.yaml" in text and "train.lr" in text and "b.yaml" in text and "train.epochs" in text
