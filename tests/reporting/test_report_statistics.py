"""The report's calibrated statistics on runs logged to a real MLflow store: the spec's
pre-registered baseline, cluster ids, per-group tests in the breakdown, single-seed reports and
the store path the report prints."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench.cli import cli
from mmbench.errors import MmbenchError
from mmbench.reporting import build_report
from mmbench.reporting.leaderboard import shown_uri
from mmbench.spec import spec_hash
from mmbench.spec.schema import ExperimentSpec
from mmbench.tracking.store import get_or_create_experiment

N = 400
FAMILIES = np.array(["count", "colour"])[np.arange(N) % 2]  # alternate examples


def log_run(client, exp_id, folder, label, seed, scores, baseline=None, clusters=None):
    """A finished run shaped like a VQA training run: tags, params, metric, artifacts."""
    tags = {"mmbench.group": label, "mmbench.label": label, "mmbench.task": "vqa"}
    run = client.create_run(exp_id, run_name=f"{label}-{seed}", tags=tags)
    rid = run.info.run_id
    client.log_param(rid, "report.baseline", str(baseline))
    client.log_metric(rid, "test/vqa_acc", float(np.mean(scores)))
    out = folder / f"{label}-{seed}"
    (out / "scores").mkdir(parents=True)
    (out / "predictions").mkdir()
    ids = np.arange(N) + 7000
    frame = pd.DataFrame({"index": range(N), "vqa_acc": scores, "id": ids})
    if clusters is not None:
        frame["group"] = clusters
    frame.to_csv(out / "scores" / "test_per_example.csv", index=False)
    per_family = {f: float(np.mean(scores[FAMILIES == f])) for f in ("count", "colour")}
    (out / "scores" / "test_breakdown.json").write_text(
        json.dumps({"vqa_acc": {"question_type": per_family}}), encoding="utf-8"
    )
    lines = [json.dumps({"question_id": int(i), "question_type": f}) for i, f in zip(ids, FAMILIES)]
    (out / "predictions" / "test.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    client.log_artifacts(rid, str(out / "scores"), "scores")
    client.log_artifacts(rid, str(out / "predictions"), "predictions")
    client.set_terminated(rid)


def store(uri, folder, name, seeds=(0, 1, 2), baseline=None, clusters=None, gap=40.0):
    """Two configurations: `fusion=film` is `gap` points better on `count` questions only."""
    client = MlflowClient(uri)
    exp_id = get_or_create_experiment(client, name, uri)
    rng = np.random.default_rng(1)
    for seed in seeds:
        base = (rng.random(N) < 0.5).astype(float) * 100
        log_run(client, exp_id, folder, "fusion=concat", seed, base, baseline, clusters)
        better = base.copy()
        flip = (FAMILIES == "count") & (base == 0) & (rng.random(N) < gap / 50)
        better[flip] = 100.0
        log_run(client, exp_id, folder, "fusion=film", seed, better, baseline, clusters)
    return client


def rows_of(text: str) -> dict[str, str]:
    return {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if "|" in line}


def test_the_specs_baseline_is_the_reference_and_against_overrides_it(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path, "pre", baseline="fusion=concat")
    report = build_report("pre", mlflow_uri, tmp_path / "reports")
    text = report.path.read_text(encoding="utf-8")
    assert "p vs fusion=concat" in text and "named by the spec's `report.baseline`" in text
    assert "| reference |" in rows_of(text)["fusion=concat"]
    assert " ▲ |" in rows_of(text)["fusion=film"]
    over = build_report("pre", mlflow_uri, tmp_path / "r2", against="fusion=film")
    text = over.path.read_text(encoding="utf-8")
    assert "p vs fusion=film" in text and "named by --against" in text


def test_a_baseline_naming_no_configuration_is_an_error_with_did_you_mean(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path, "typo", baseline="fusion=concatt")
    with pytest.raises(MmbenchError, match=r"report\.baseline.*did you mean 'fusion=concat'"):
        build_report("typo", mlflow_uri, tmp_path / "reports")
    bad = CliRunner().invoke(cli, ["report", "typo"])
    assert bad.exit_code == 2 and "no configuration 'fusion=concatt'" in bad.output
    assert "--against" in bad.output and "Traceback" not in bad.output
    ok = CliRunner().invoke(cli, ["report", "typo", "--against", "fusion=concat"])
    assert ok.exit_code == 0, ok.output


def test_the_baseline_does_not_change_a_configurations_identity():
    spec = {
        "name": "x",
        "task": "vqa",
        "dataset": {"name": "shapes"},
        "model": {"encoders": {"image": {"name": "cnn"}}},
    }
    plain = ExperimentSpec.model_validate(spec)
    named = ExperimentSpec.model_validate({**spec, "report": {"baseline": "fusion=concat"}})
    assert named.report.baseline == "fusion=concat"
    assert spec_hash(plain) == spec_hash(named)  # old runs stay the same configuration
    with pytest.raises(ValueError, match="basline"):
        ExperimentSpec.model_validate({**spec, "report": {"basline": "a"}})


def test_logged_clusters_are_the_units_and_widen_the_interval(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path / "a", "flat")
    flat = pd.read_csv(build_report("flat", mlflow_uri, tmp_path / "r").path.with_suffix(".csv"))
    images = (np.arange(N) // 8).astype(str)  # 8 questions per image: 50 images
    store(mlflow_uri, tmp_path / "b", "clustered", clusters=images)
    report = build_report("clustered", mlflow_uri, tmp_path / "r")
    text = report.path.read_text(encoding="utf-8")
    assert "400 shared test examples in 50 images" in text
    clustered = pd.read_csv(report.path.with_suffix(".csv"))
    width = {
        name: (t["test/vqa_acc_ci_high"] - t["test/vqa_acc_ci_low"]).min()
        for name, t in (("flat", flat), ("clustered", clustered))
    }
    assert width["clustered"] > width["flat"]


def test_the_breakdown_tests_each_family_against_the_reference_with_holm(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path, "fam", baseline="fusion=concat")
    report = build_report("fam", mlflow_uri, tmp_path / "reports")
    text = report.breakdown_path.read_text(encoding="utf-8")
    assert "Δ vs `fusion=concat` per question_type" in text
    assert (
        "Holm over 2 tested comparisons with 'fusion=concat' (2 groups × 1 configurations)" in text
    )
    line = rows_of(text.split("Δ vs")[1])["fusion=film"]
    colour, count = line.split(" | ")[1:3]  # categories sorted: colour, count
    assert "▲" in count and "▲" not in colour  # better on count questions only
    tests = pd.read_csv(report.path.parent / "breakdown_tests.csv")
    assert set(tests["group"]) == {"count", "colour"} and set(tests["kind"]) == {"question_type"}


def test_single_seed_reports_say_they_cannot_rank_by_seed(mlflow_uri, tmp_path):
    store(mlflow_uri, tmp_path, "one", seeds=(0,))
    report = build_report("one", mlflow_uri, tmp_path / "reports")
    text = report.path.read_text(encoding="utf-8")
    assert "this report cannot rank them by seed" in text and "test examples only" in text
    rows = rows_of(text)
    assert not any(m in rows[c] for m in "▲▼†" for c in ("fusion=film", "fusion=concat"))
    # P(better) from one seed each is one comparison (0, ½ or 1), not a probability to read
    assert any("(1 seed: no interval)" in rows[c] for c in ("fusion=film", "fusion=concat"))
    table = pd.read_csv(report.path.with_suffix(".csv"))
    assert table["test/vqa_acc_p"].isna().all()
    breakdown = report.breakdown_path.read_text(encoding="utf-8")
    cells = breakdown.split("Δ vs")[1].split("|---|")[-1]
    assert "(p –)" in cells and not any(m in cells for m in "▲▼")


def test_the_report_prints_no_absolute_path_of_the_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inside = f"sqlite:///{tmp_path / 'sub' / 'mlflow.db'}"
    assert shown_uri(inside) == "sqlite:///sub/mlflow.db"
    assert shown_uri("sqlite:////elsewhere/stores/x.db") == "x.db (a local SQLite file)"
    assert shown_uri("sqlite:///mlflow.db") == "sqlite:///mlflow.db"
    assert shown_uri("https://user:secret@host:5000") == "https://host:5000"


TINY = """
name: tiny_baseline
task: vqa
dataset: {name: shapes, kwargs: {n_train: 40, n_val: 8, n_test: 24, seed: 3}}
model:
  dim: 16
  encoders:
    image: {name: cnn}
    text: {name: gru}
  fusion: {name: concat}
train: {epochs: 1, batch_size: 20, max_steps: 2, seed: 0}
sweep:
  model.fusion.name: [concat, sum]
report: {baseline: BASELINE}
"""


@pytest.mark.e2e
def test_mmbench_run_reports_against_the_specs_baseline_or_names_the_file(write, mlflow_uri):
    good = write(TINY.replace("BASELINE", "'fusion=sum'"), "good.yaml")
    ok = CliRunner().invoke(cli, ["run", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "p vs fusion=sum" in ok.output
    bad = write(TINY.replace("BASELINE", "'fusion=summ'"), "bad.yaml")
    out = CliRunner().invoke(cli, ["run", str(bad)])  # same runs: skipped, then the report
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert f"{bad}: report.baseline: no configuration 'fusion=summ'" in out.output
    assert "did you mean 'fusion=sum'" in out.output
