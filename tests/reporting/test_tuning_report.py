"""The tuning view of a report (``tuning.md``, ``tuning.csv``, ``tuning.png``, the leaderboard's
Tuning section) against a real tiny tuned sweep: its rows are the trial runs' values and
validation scores, its chosen values the final runs' ``tuned.*`` params, it survives the bundle,
and an untuned report gets none of it."""

from __future__ import annotations

import json
import shutil

import pytest
from mlflow.tracking import MlflowClient

from mmbench import api
from mmbench.reporting import build_report
from tests.tuning.helpers import runs, write_spec

optuna = pytest.importorskip("optuna")  # the `tune` extra

pytestmark = pytest.mark.e2e

LABELS = ["fusion=concat", "fusion=sum"]
KEYS = ["train.lr", "train.weight_decay"]


@pytest.fixture(scope="module")
def tuned(tmp_path_factory):
    """2 fusions × 3 trials, then seeds 0 and 1, in a real SQLite store; its report."""
    folder = tmp_path_factory.mktemp("tuned_report")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", uri)
        mp.chdir(folder)
        out = api.run(write_spec(folder, trials=3))
        report = build_report("tuned", uri, folder / "reports")
    return uri, out, folder, report


def md_rows(text: str, section: str) -> list[list[str]]:
    """The body rows of the first table after the heading ``section``."""
    lines = text.split(f"\n{section}\n", 1)[1].splitlines()
    table = [line for line in lines[lines.index(next(x for x in lines if x.startswith("|"))) :]]
    table = table[: next((i for i, x in enumerate(table) if not x.startswith("|")), len(table))]
    return [[c.strip().strip("*") for c in row.strip("|").split("|")] for row in table[2:]]


def test_every_trial_row_is_its_trial_runs_values_and_score(tuned):
    uri, out, _, report = tuned
    md = report.views["tuning"].read_text(encoding="utf-8")
    rows = md_rows(md, "## Every trial")
    trials = runs(uri, "trial")
    assert len(rows) == len(trials) == 6
    by_key = {(r.data.tags["mmbench.label"], r.data.tags["mmbench.trial"]): r for r in trials}
    for config, number, lr, wd, score, ended in rows:
        run = by_key[(config, number)]
        assert float(lr) == pytest.approx(float(run.data.params["train.lr"]), rel=1e-3)
        assert float(wd) == pytest.approx(float(run.data.params["train.weight_decay"]), abs=1e-4)
        assert float(score) == pytest.approx(run.data.metrics["val/vqa_acc"], rel=1e-3)
        assert ended == ""  # no pruner: every trial finished
    csv = (report.path.parent / "tuning.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0] == "configuration,trial,state,train.lr,train.weight_decay,score"
    for line in csv[1:]:  # full precision: the params exactly as logged
        config, number, state, lr, wd, score = line.split(",")
        run = by_key[(config, number)]
        assert (state, lr, wd) == ("complete", run.data.params["train.lr"],
                                   run.data.params["train.weight_decay"])  # fmt: skip
        assert float(score) == run.data.metrics["val/vqa_acc"]


def test_the_chosen_values_are_the_final_runs_tuned_params(tuned):
    uri, out, _, report = tuned
    best = {s.label: s.best_trial for s in out.tuning}
    finals = {r.data.tags["mmbench.label"]: r.data.params for r in runs(uri, "final")}
    for text in (report.views["tuning"].read_text(encoding="utf-8"),
                 report.path.read_text(encoding="utf-8")):  # fmt: skip
        rows = md_rows(text, "## Chosen values" if "# Tuning:" in text else "## Tuning")
        assert sorted(r[0] for r in rows) == LABELS
        for config, trials, complete, pruned, failed, chosen, score, lr, wd in rows:
            assert (trials, complete, pruned, failed) == ("3 of 3", "3", "0", "0")
            assert int(chosen) == best[config]
            params = finals[config]
            assert float(lr) == pytest.approx(float(params["tuned.train.lr"]), rel=1e-3)
            wd_tuned = float(params["tuned.train.weight_decay"])
            assert float(wd) == pytest.approx(wd_tuned, abs=1e-4)
            study = next(s for s in out.tuning if s.label == config)
            assert float(score) == pytest.approx(study.best_value, rel=1e-3)


def test_the_report_states_the_budget_space_sampler_and_objective(tuned):
    _, _, _, report = tuned
    board = report.path.read_text(encoding="utf-8")
    assert (
        "searched in **3 trials** (Optuna, sampler `TPESampler`, search seed 7, pruner `none`)"
        in board
    )
    assert "scored on the **validation** split by `val/vqa_acc` ↑" in board
    assert "`train.lr` log-uniform 0.0001 … 0.1; `train.weight_decay` uniform 0 … 0.1" in board
    assert "[tuning.md](tuning.md)" in board
    page = report.views["html"].read_text(encoding="utf-8")
    assert "<h2>Tuning</h2>" in page and 'id="tuning"' in page
    assert "val/vqa_acc against each tuned value (trials)" in page  # tuning.png, embedded
    assert (report.path.parent / "tuning.png").stat().st_size > 0


def test_the_search_is_recorded_on_the_final_runs_and_study_parents(tuned):
    uri, out, _, _ = tuned
    for run in runs(uri, "final") + runs(uri, "study"):
        tags = run.data.tags
        assert json.loads(tags["mmbench.tune.space"]) == {
            "train.lr": {"type": "loguniform", "low": 1e-4, "high": 0.1},
            "train.weight_decay": {"type": "uniform", "low": 0.0, "high": 0.1},
        }
        assert (tags["mmbench.tune.seed"], tags["mmbench.tune.sampler"]) == ("7", "TPESampler")
        assert tags["mmbench.tune.objective"] == "val/vqa_acc"
        assert tags["mmbench.tune.trials"] == "3"
    best = {s.label: str(s.best_trial) for s in out.tuning}
    for run in runs(uri, "final"):
        assert run.data.tags["mmbench.tune.best_trial"] == best[run.data.tags["mmbench.label"]]


def test_the_bundle_keeps_the_trials_and_remakes_the_view(tuned, tmp_path):
    _, _, _, report = tuned
    folder = report.path.parent
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "trials.parquet" in manifest["sha256"] and manifest["runs"]["trials"] == 6
    again = build_report(None, None, tmp_path / "again", bundle=folder)
    for name in ("tuning.md", "tuning.csv", "leaderboard.md"):
        assert (again.path.parent / name).read_text() == (folder / name).read_text(), name
    assert (again.path.parent / "trials.parquet").is_file()  # copied with the bundle


def test_an_older_bundle_without_trials_parquet_still_reports(tuned, tmp_path):
    _, _, _, report = tuned
    old = tmp_path / "old"
    shutil.copytree(report.path.parent, old)
    (old / "trials.parquet").unlink()
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    del manifest["sha256"]["trials.parquet"]
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    made = build_report(None, None, tmp_path / "out", bundle=old)
    md = made.views["tuning"].read_text(encoding="utf-8")
    assert "Only the finished trials are known here" in md
    assert len(md_rows(md, "## Every trial")) == 6  # all finished: runs.parquet has them all


def test_a_pruned_trial_is_marked_and_counted(tuned, tmp_path):
    uri, _, folder, _ = tuned
    shutil.copy(folder / "mlflow.db", tmp_path / "mlflow.db")  # artifacts stay where they are
    copy = f"sqlite:///{tmp_path / 'mlflow.db'}"
    client = MlflowClient(copy)
    (victim,) = [r for r in runs(copy, "trial") if r.data.tags["mmbench.label"] == LABELS[1]
                 and r.data.tags["mmbench.trial"] == "1"]  # fmt: skip
    client.set_terminated(victim.info.run_id, "KILLED")  # as run_trial ends a pruned trial
    client.set_tag(victim.info.run_id, "mmbench.ended_because", "pruned by Optuna after epoch 0")
    made = build_report("tuned", copy, tmp_path / "reports")
    md = made.views["tuning"].read_text(encoding="utf-8")
    (row,) = [r for r in md_rows(md, "## Every trial") if r[:2] == [LABELS[1], "1"]]
    assert row[-1] == "pruned (last score reported)"
    chosen = {r[0]: r for r in md_rows(md, "## Chosen values")}
    assert chosen[LABELS[1]][1:5] == ["3 of 3", "2", "1", "0"]


def test_an_untuned_report_has_no_tuning_view(views_report):
    folder = views_report.path.parent
    assert views_report.views["tuning"] is None and views_report.board.tuning is None
    assert not (folder / "tuning.md").exists() and not (folder / "tuning.png").exists()
    assert not (folder / "trials.parquet").exists()
    assert "Tuning" not in views_report.path.read_text(encoding="utf-8")
    assert "<h2>Tuning" not in views_report.views["html"].read_text(encoding="utf-8")
