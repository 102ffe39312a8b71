"""The report's intervals and tests, from per-example scores logged to a real MLflow store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench.cli import cli
from mmbench.errors import MmbenchError
from mmbench.reporting import build_report
from mmbench.tracking.store import get_or_create_experiment


def log_run(client, exp_id, tmp_path, label, seed, scores, metric="vqa_acc", corpus=None, skip=0):
    """A finished run shaped like a training run: tags, test metric, per-example CSV."""
    tags = {"mmbench.group": label, "mmbench.label": label, "mmbench.task": "vqa"}
    run = client.create_run(exp_id, run_name=f"{label}-{seed}", tags=tags)
    value = float(np.mean(scores)) if corpus is None else corpus
    client.log_metric(run.info.run_id, f"test/{metric}", value)
    path = tmp_path / f"{label}-{seed}" / "test_per_example.csv"
    path.parent.mkdir(parents=True)
    ids = np.arange(len(scores)) + 1000 + skip
    pd.DataFrame({"index": range(len(scores)), metric: scores, "id": ids}).to_csv(path, index=False)
    client.log_artifact(run.info.run_id, str(path), "scores")
    client.set_terminated(run.info.run_id)


def store(mlflow_uri, tmp_path, name="stats", seeds=(0, 1, 2), **kw):
    client = MlflowClient(mlflow_uri)
    exp_id = get_or_create_experiment(client, name, mlflow_uri)
    rng = np.random.default_rng(0)
    for label, p in (("fusion=gated", 0.65), ("fusion=film", 0.63), ("fusion=sum", 0.45)):
        for seed in seeds:
            scores = (rng.random(600) < p).astype(float) * 100
            log_run(client, exp_id, tmp_path, label, seed, scores, **kw)
    external = client.create_run(exp_id, run_name="external", tags={"mmbench.kind": "eval"})
    client.log_metric(external.info.run_id, f"test/{kw.get('metric', 'vqa_acc')}", 40.0)
    client.set_terminated(external.info.run_id)
    return client


def test_report_marks_ties_and_significant_gaps_with_intervals_and_a_plot(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path)
    report = build_report("stats", mlflow_uri, tmp_path / "reports")
    text = report.path.read_text(encoding="utf-8")
    assert "95% CI" in text and "p vs best" in text and "Holm" in text
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if "|" in line}
    top = sorted([rows["fusion=gated"], rows["fusion=film"]], key=lambda r: "| best |" in r)
    assert "| best |" in top[1] and "†" in top[0]  # 2 points apart on 600 examples: a tie
    assert "†" not in rows["fusion=sum"]
    assert "not compared: external" in text
    assert (report.path.parent / "leaderboard.png").stat().st_size > 1000
    table = pd.read_csv(report.path.parent / "leaderboard.csv").set_index("label")
    p = table["test/vqa_acc_p"]
    assert p["fusion=sum"] < 0.05 < p[["fusion=gated", "fusion=film"]].min()
    low, high = table.loc["fusion=gated", ["test/vqa_acc_ci_low", "test/vqa_acc_ci_high"]]
    assert low < table.loc["fusion=gated", "test/vqa_acc_mean"] < high


def test_metrics_that_are_neither_means_nor_ratios_get_no_test(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path, name="bleu_runs", metric="bleu4")
    text = build_report("bleu_runs", mlflow_uri, tmp_path / "reports").path.read_text("utf-8")
    assert "bleu4 is not a mean or a ratio over test examples" in text
    assert "p vs best" not in text


def test_wer_is_tested_as_errors_over_reference_words(mlflow_uri, tmp_path):
    client = MlflowClient(mlflow_uri)
    exp_id = get_or_create_experiment(client, "asr", mlflow_uri)
    rng = np.random.default_rng(5)
    for label, rate in (("encoder=conformer", 0.10), ("encoder=mel_cnn", 0.25)):
        for seed in (0, 1):
            words = rng.integers(2, 12, size=300)
            subs = rng.binomial(words, rate)
            frame = pd.DataFrame(
                {
                    "index": range(300), "wer": subs / words, "word_hits": words - subs,
                    "word_substitutions": subs, "word_deletions": 0, "word_insertions": 0,
                    "id": [f"utt-{i}" for i in range(300)],
                }
            )  # fmt: skip
            tags = {"mmbench.group": label, "mmbench.label": label, "mmbench.task": "asr"}
            run = client.create_run(exp_id, run_name=f"{label}-{seed}", tags=tags)
            client.log_metric(run.info.run_id, "test/wer", subs.sum() / words.sum())
            path = tmp_path / f"{label}-{seed}" / "test_per_example.csv"
            path.parent.mkdir(parents=True)
            frame.to_csv(path, index=False)
            client.log_artifact(run.info.run_id, str(path), "scores")
            client.set_terminated(run.info.run_id)
    text = build_report("asr", mlflow_uri, tmp_path / "reports").path.read_text("utf-8")
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if "|" in line}
    assert "test/wer ↓" in text and "| best |" in rows["encoder=conformer"]
    assert "†" not in rows["encoder=mel_cnn"]  # 25 % against 10 % WER: significant


def test_a_corpus_score_that_is_not_the_mean_of_the_logged_scores_is_caught(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path, name="odd", corpus=12.0)
    text = build_report("odd", mlflow_uri, tmp_path / "reports").path.read_text("utf-8")
    assert "vqa_acc does not follow from its per-example scores" in text


def test_single_seed_rows_are_said_to_cover_test_examples_only(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path, name="one_seed", seeds=(0,))
    text = build_report("one_seed", mlflow_uri, tmp_path / "reports").path.read_text("utf-8")
    assert "p vs best" in text and "cover the test examples only" in text
    store(mlflow_uri, tmp_path / "b", name="three")
    text = build_report("three", mlflow_uri, tmp_path / "reports").path.read_text("utf-8")
    assert "cover the test examples only" not in text


def test_against_a_named_configuration_marks_better_and_worse(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path, name="vs_sum")
    report = build_report("vs_sum", mlflow_uri, tmp_path / "reports", against="fusion=sum")
    text = report.path.read_text("utf-8")
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if "|" in line}
    assert "p vs fusion=sum" in text and "| reference |" in rows["fusion=sum"]
    assert " ▲ |" in rows["fusion=gated"] and " ▲ |" in rows["fusion=film"]
    with pytest.raises(MmbenchError, match="did you mean 'fusion=sum'"):
        build_report("vs_sum", mlflow_uri, tmp_path / "reports", against="fusion=summ")


def test_cli_report_against_reports_an_unknown_label_cleanly(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path, name="cli_vs")
    ok = CliRunner().invoke(cli, ["report", "cli_vs", "--against", "fusion=gated"])
    assert ok.exit_code == 0, ok.output
    assert "p vs fusion=gated" in ok.output and "▼" in ok.output
    bad = CliRunner().invoke(cli, ["report", "cli_vs", "--against", "gated"])
    assert bad.exit_code == 2 and "no configuration 'gated'" in bad.output
    assert "Traceback" not in bad.output


def test_runs_on_partly_different_test_sets_are_compared_on_the_shared_examples(
    mlflow_uri, tmp_path
):
    client = MlflowClient(mlflow_uri)
    exp_id = get_or_create_experiment(client, "shifted", mlflow_uri)
    rng = np.random.default_rng(6)
    for label, skip in (("a", 0), ("b", 100)):
        scores = (rng.random(500) < 0.5).astype(float) * 100
        log_run(client, exp_id, tmp_path, label, 0, scores, skip=skip)
    text = build_report("shifted", mlflow_uri, tmp_path / "reports").path.read_text("utf-8")
    assert "400 shared test examples" in text and "some runs scored 500" in text
