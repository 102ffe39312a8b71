"""mmbench report A B … --summary NAME: ranks over experiments, Friedman, CD; refuses to mix."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient
from scipy import stats as sps

from mmbench.cli import cli
from mmbench.reporting.cd_plot import cliques
from mmbench.reporting.summary import normalised
from mmbench.tracking.store import get_or_create_experiment

ACC_FP = "vqa_acc/1 ref=vqa norm=vqa tok=none"
WER_FP = "wer/1 ref=none norm=basic tok=whitespace"
# experiment → (task, metric, fingerprint, {label: score})
EXPERIMENTS = {
    "vqa_a": ("vqa", "vqa_acc", ACC_FP, {"film": 60.0, "concat": 50.0, "late": 40.0, "x": 1.0}),
    "vqa_b": ("vqa", "vqa_acc", ACC_FP, {"film": 55.0, "concat": 58.0, "late": 30.0}),
    "asr_a": ("asr", "wer", WER_FP, {"film": 0.20, "concat": 0.25, "late": 0.40}),
    "asr_b": ("asr", "wer", WER_FP, {"film": 0.30, "concat": 0.35, "late": 0.30}),
}


def log(uri, experiments, version="1", fingerprints=None):
    client = MlflowClient(uri)
    for name, (task, metric, fp, scores) in experiments.items():
        exp_id = get_or_create_experiment(client, name, uri)
        for label, score in scores.items():
            tags = {
                "mmbench.group": label,
                "mmbench.label": label,
                "mmbench.task": task,
                "mmbench.task_version": version if name != "asr_b" else "1",
                "mmbench.primary_metric": metric,
                f"mmbench.metric.{metric}": (fingerprints or {}).get(name, fp),
            }
            rid = client.create_run(exp_id, run_name=label, tags=tags).info.run_id
            client.log_metric(rid, f"test/{metric}", score)
            client.set_terminated(rid)


def test_summary_ranks_over_experiments_with_friedman_and_cd(mlflow_uri, tmp_path):
    log(mlflow_uri, EXPERIMENTS)
    out = CliRunner().invoke(cli, ["report", *EXPERIMENTS, "--summary", "all"])
    assert out.exit_code == 0, out.output
    md = (tmp_path / "reports" / "all" / "summary.md").read_text(encoding="utf-8")
    assert (tmp_path / "reports" / "all" / "cd.png").read_bytes()[:4] == b"\x89PNG"
    # ranks by hand (1 = best; WER lower is better; asr_b ties film and late)
    expected = {"film": (1 + 2 + 1 + 1.5) / 4, "concat": (2 + 1 + 2 + 3) / 4, "late": 2.625}
    rows = {line.split(" | ")[0].strip("| "): line for line in md.splitlines() if "|" in line}
    for label, rank in expected.items():
        assert rows[label].startswith(f"| {label} | {rank:.2f} |")
    ranked = np.array([[1, 2, 3], [2, 1, 3], [1, 2, 3], [1.5, 3, 1.5]])
    ref = sps.friedmanchisquare(*ranked.T)
    assert f"χ²_F = {ref.statistic:.2f} with 2 df" in md
    cd = 2.343 * np.sqrt(3 * 4 / (6 * 4))  # Demšar: q_0.05(k=3) sqrt(k(k+1)/(6N))
    assert f"CD = {cd:.2f}" in md
    assert "left out: `x`" in md  # only in vqa_a
    # normalised: vqa_b film = (55 - 30) / (58 - 30); asr_a concat = 1 - (0.25 - 0.2) / 0.2
    assert "| 0.89 (55.00) |" in rows["film"] and "| 0.75 (0.25) |" in rows["concat"]
    assert "| test/wer ↓ | asr v1 |" in rows["asr_a"]


def test_a_metric_fingerprint_that_differs_is_refused_by_name(mlflow_uri):
    log(mlflow_uri, EXPERIMENTS, fingerprints={"vqa_b": "vqa_acc/2 ref=vqa norm=vqa tok=none"})
    out = CliRunner().invoke(cli, ["report", "vqa_a", "vqa_b", "asr_a", "--summary", "s"])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert "metric 'vqa_acc' has fingerprint 'vqa_acc/1" in out.output
    assert "in experiment 'vqa_a' but 'vqa_acc/2" in out.output and "'vqa_b'" in out.output


def test_a_task_version_that_differs_is_refused_by_name(mlflow_uri):
    log(mlflow_uri, EXPERIMENTS, version="2")  # asr_a v2, asr_b v1
    out = CliRunner().invoke(cli, ["report", "asr_a", "asr_b", "--summary", "s"])
    assert out.exit_code == 2
    assert "task 'asr' has version '2' in experiment 'asr_a' but '1' in experiment 'asr_b'" in (
        out.output
    )


def test_one_experiment_is_not_a_summary(mlflow_uri):
    log(mlflow_uri, {"vqa_a": EXPERIMENTS["vqa_a"]})
    out = CliRunner().invoke(cli, ["report", "vqa_a", "--summary", "s"])
    assert out.exit_code == 2 and "at least two experiments" in out.output


def test_normalised_scores_and_cd_groups():
    norm = normalised(np.array([[1.0, 3.0, 2.0], [0.1, 0.3, 0.3]]), np.array([True, False]))
    assert norm.tolist() == [[0.0, 1.0, 0.5], [1.0, 0.0, 0.0]]
    assert normalised(np.array([[2.0, 2.0]]), np.array([True])).tolist() == [[1.0, 1.0]]
    assert cliques(np.array([1.0, 1.5, 3.0, 3.2]), cd=1.0) == [(0, 1), (2, 3)]
    assert cliques(np.array([1.0, 2.0, 3.0]), cd=1.5) == [(0, 1), (1, 2)]


@pytest.mark.parametrize("name", ["../out", "/abs"])
def test_summary_names_stay_in_the_reports_folder(mlflow_uri, name):
    out = CliRunner().invoke(cli, ["report", "a", "b", "--summary", name])
    assert out.exit_code == 2 and "outside" in out.output
