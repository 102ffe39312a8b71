"""End to end: tiny real VQA runs in a real MLflow store → `mmbench report` writes breakdown.md."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.cli import cli
from mmbench.data.vqa_questions import FAMILIES
from mmbench.tracking.store import get_or_create_experiment

pytestmark = pytest.mark.e2e

SPEC = """
name: tiny
task: vqa
dataset: {name: shapes, kwargs: {n_train: 40, n_val: 8, n_test: 24, seed: 3}}
model:
  dim: 16
  encoders:
    image: {name: cnn}
    text: {name: gru}
  fusion: {name: concat}
train: {epochs: 1, batch_size: 20, max_steps: 2, seed: 0}
tracking: {experiment: tiny_breakdown}
"""


def log_external_run(uri: str) -> None:
    """A finished run like `mmbench eval --log`: a test score, but no breakdown artifact."""
    client = MlflowClient(uri)
    exp_id = get_or_create_experiment(client, "tiny_breakdown", uri)
    r = client.create_run(exp_id, run_name="eval-vqa-external", tags={"mmbench.kind": "eval"})
    client.log_metric(r.info.run_id, "test/vqa_acc", 12.5)
    client.set_terminated(r.info.run_id)


def test_report_writes_per_question_type_tables(write, mlflow_uri, tmp_path):
    out = run(write(SPEC), ["sweep.train.seed=[0, 1]"])
    assert len(out.outcomes) == 2 and not out.failures
    log_external_run(mlflow_uri)

    result = CliRunner().invoke(cli, ["report", "tiny_breakdown"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "reports" / "tiny_breakdown"
    assert f"per-group scores: {folder.relative_to(tmp_path)}/breakdown.md" in result.output
    assert "eval-vqa-external" in (folder / "leaderboard.md").read_text(encoding="utf-8")

    # the question types each run logged, read back independently of the report code
    client = MlflowClient(mlflow_uri)
    logged = set()
    for outcome in out.outcomes:
        local = client.download_artifacts(outcome.run_id, "scores", str(tmp_path / "dl"))
        frame = pd.read_json(f"{local}/test_breakdown.json")
        logged |= set(frame.loc["question_type", "vqa_acc"])
    assert len(logged) >= 2 and logged <= set(FAMILIES)

    text = (folder / "breakdown.md").read_text(encoding="utf-8")
    assert "## vqa_acc by question_type ↑" in text and "## vqa_acc by answer_type ↑" in text
    assert f"| Configuration | seeds | {' | '.join(sorted(logged))} |" in text
    assert "| tiny | 2 |" in text and "±" in text  # one configuration, both seeds
    assert "eval-vqa-external" not in text  # the external run has no breakdown: skipped
    csv = pd.read_csv(folder / "breakdown.csv")
    assert set(csv[csv.kind == "question_type"].category) == logged
    assert set(csv.n) == {2}
