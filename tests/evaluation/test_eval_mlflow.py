"""``--log NAME`` records the evaluation as an MLflow run in a real SQLite store."""

from __future__ import annotations

import json

import pytest
from mlflow.tracking import MlflowClient

from tests.evaluation.helpers import invoke, vqa_files


@pytest.mark.slow  # a fresh SQLite store migrates its schema: several seconds
def test_log_vqa_run(tmp_path, mlflow_uri):
    files = vqa_files(tmp_path)
    per = tmp_path / "per.jsonl"
    result = invoke("vqa", "--predictions", files["predictions"], "--annotations",
                    files["annotations"], "--log", "ext", "--ci", "--json",
                    "--per-example", per)  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    client = MlflowClient(mlflow_uri)
    run = client.get_run(out["mlflow_run_id"])
    assert client.get_experiment(run.info.experiment_id).name == "ext"
    assert run.info.status == "FINISHED"
    assert run.data.tags["source"] == "external" and run.data.tags["mmbench.task"] == "vqa"
    assert run.data.tags["mmbench.metric.vqa_acc"].startswith("vqa_acc/1 ")
    assert run.data.metrics["test/vqa_acc"] == 72.5
    assert (
        run.data.metrics["test/vqa_acc_ci_low"] <= 72.5 <= run.data.metrics["test/vqa_acc_ci_high"]
    )
    assert run.data.metrics["test/vqa_acc/yes_no"] == 0.0
    assert run.data.params["input.predictions"].endswith("results.json")
    assert run.data.params["n_examples"] == "4"
    names = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert names == {"per.jsonl", "evaluation.json"}
    assert (tmp_path / "mlflow.db").exists()  # the store is the temp one from the fixture

    # without --per-example a per_example.csv is attached; the table says where it went
    # (same test: creating a fresh SQLite store costs seconds)
    result = invoke("vqa", "--predictions", files["predictions"], "--annotations",
                    files["annotations"], "--log", "ext")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "logged: MLflow run" in result.stdout
    client = MlflowClient(mlflow_uri)
    run_id = result.stdout.split("logged: MLflow run ")[1].split()[0]
    assert {a.path for a in client.list_artifacts(run_id)} == {
        "per_example.csv",
        "evaluation.json",
    }
