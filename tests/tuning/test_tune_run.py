"""Tuning end to end on a real MLflow store: equal budgets, trials never see test data, final
runs on every seed, resume after an interruption, and reports that count only final runs."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from mmbench import api
from mmbench.cli import cli
from mmbench.engine.progress import Progress
from mmbench.reporting import build_report
from mmbench.reporting.counted import counted_runs
from mmbench.reporting.runs import runs_frame
from mmbench.tuning.storage import storage_url
from tests.tuning.helpers import by_label, runs, write_spec

optuna = pytest.importorskip("optuna")  # the `tune` extra; `make test` without it skips these

pytestmark = pytest.mark.e2e

LABELS = ["fusion=concat", "fusion=sum"]
SEEDS = ["0", "1"]


@pytest.fixture(scope="module")
def tuned(tmp_path_factory):
    """One tuned sweep (2 fusions × 2 trials, then 2 seeds each), run once for the module."""
    folder = tmp_path_factory.mktemp("tuned")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", uri)
        mp.chdir(folder)
        out = api.run(write_spec(folder, trials=2))
    return uri, out, folder


def study_trials(uri: str, name: str) -> list:
    return optuna.load_study(study_name=name, storage=storage_url(uri)).get_trials()


def test_every_configuration_gets_the_same_budget_and_first_values(tuned):
    uri, out, _ = tuned
    trials = by_label(runs(uri, "trial"))
    assert sorted(trials) == LABELS
    assert [len(trials[label]) for label in LABELS] == [2, 2]
    first = [trials[label][0].data.params for label in LABELS]
    for key in ("train.lr", "train.weight_decay"):
        assert first[0][key] == first[1][key]  # the same search seed for every configuration
    assert first[0]["train.lr"] != trials[LABELS[0]][1].data.params["train.lr"]
    names = {s.label: s.study for s in out.tuning}
    assert len(set(names.values())) == 2  # one study per configuration
    for label in LABELS:
        states = [t.state for t in study_trials(uri, names[label])]
        assert states == [optuna.trial.TrialState.COMPLETE] * 2


def test_trials_are_scored_on_validation_and_never_on_test(tuned):
    uri, out, _ = tuned
    parents = {r.info.run_id for r in runs(uri, "study")}
    for run in runs(uri, "trial"):
        assert run.info.status == "FINISHED"
        assert run.data.params["eval.split"] == "val"
        assert "val/vqa_acc" in run.data.metrics
        assert not [m for m in run.data.metrics if m.startswith("test/")], run.data.metrics
        assert run.data.tags["mlflow.parentRunId"] in parents  # a child of its study's run
    for study in out.tuning:  # the objective Optuna saw is the trial run's val metric
        (best,) = [r for r in runs(uri, "trial") if r.data.tags["mmbench.study"] == study.study
                   and r.data.tags["mmbench.trial"] == str(study.best_trial)]  # fmt: skip
        assert best.data.metrics["val/vqa_acc"] == pytest.approx(study.best_value)


def test_final_runs_use_the_best_values_on_every_seed(tuned):
    uri, out, _ = tuned
    finals = runs(uri, "final")
    assert sorted((r.data.tags["mmbench.label"], r.data.tags["mmbench.seed"]) for r in finals) == [
        (label, seed) for label in LABELS for seed in SEEDS
    ]
    best = {s.label: s.best_values for s in out.tuning}
    for run in finals:
        assert run.info.status == "FINISHED"
        assert "test/vqa_acc" in run.data.metrics
        assert "test/vqa_acc without image" in run.data.metrics
        values = best[run.data.tags["mmbench.label"]]
        assert float(run.data.params["tuned.train.lr"]) == pytest.approx(values["train.lr"])
        assert float(run.data.params["train.lr"]) == pytest.approx(values["train.lr"])
        assert run.data.tags["mmbench.tune.trials"] == "2"


def test_reports_count_only_final_runs(tuned):
    uri, _, folder = tuned
    client = MlflowClient(uri)
    counted = counted_runs(runs_frame(client, "tuned"))
    finals = {r.info.run_id for r in runs(uri, "final")}
    trained = counted[counted["tags.mmbench.kind"] == "train"]
    assert set(trained["run_id"]) == finals
    report = build_report("tuned", uri, folder / "reports")
    table = report.board.table
    assert sorted(table["label"]) == LABELS and list(table["n"]) == [2, 2]


class _InterruptAtFirstStep(Progress):
    def step(self, loss: float) -> None:
        raise KeyboardInterrupt("interrupted by the test")


def test_resume_runs_only_the_missing_trials(tmp_path, mlflow_uri):
    spec = write_spec(tmp_path, trials=2)
    calls = []

    def interrupting(i, n, label):  # the second trial of the first configuration
        calls.append(label)
        return _InterruptAtFirstStep() if len(calls) == 2 else None

    with pytest.raises(KeyboardInterrupt):
        api.run(spec, progress_factory=interrupting)
    killed = runs(mlflow_uri, "trial", "KILLED")
    assert len(killed) == 1 and not runs(mlflow_uri, "final")

    out = api.run(spec)  # resumes: the interrupted trial is asked again, nothing else
    assert [len(s.ran) for s in out.tuning] == [1, 2]
    trials = by_label(runs(mlflow_uri, "trial", "FINISHED"))
    assert [len(trials[label]) for label in LABELS] == [2, 2]
    again = trials[LABELS[0]][1]
    assert again.data.params["train.lr"] == killed[0].data.params["train.lr"]  # same draw
    first_ids = {r.info.run_id for label in LABELS for r in trials[label]}

    out = api.run(write_spec(tmp_path, trials=4))  # a larger budget: two more each
    assert [len(s.ran) for s in out.tuning] == [2, 2]
    assert [r.number for r in out.tuning[0].ran] == [3, 4]  # trial 1 was the killed one
    trials = by_label(runs(mlflow_uri, "trial", "FINISHED"))
    assert [len(trials[label]) for label in LABELS] == [4, 4]
    assert first_ids <= {r.info.run_id for label in LABELS for r in trials[label]}
    for study in out.tuning:
        counted = [t for t in study_trials(mlflow_uri, study.study) if t.state.is_finished()]
        complete = [t for t in counted if t.state == optuna.trial.TrialState.COMPLETE]
        assert len(complete) == 4
    # the report counts one final run per configuration and seed, made with the current values
    board = build_report("tuned", mlflow_uri, tmp_path / "reports").board.table
    assert list(board["n"]) == [2, 2]
    assert (tmp_path / "mlflow.optuna.db").exists()  # the studies live beside the store


def test_without_optuna_the_cli_says_how_to_install_it(tmp_path, mlflow_uri, monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)  # import optuna raises ImportError
    result = CliRunner().invoke(cli, ["run", str(write_spec(tmp_path))])
    assert result.exit_code == 2, result.output
    assert "pip install 'mmbench[tune]'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "mlflow.db").exists()  # refused before the store is touched


def test_a_pruner_sees_every_epoch_and_pruned_trials_end_killed(tmp_path, mlflow_uri):
    spec = write_spec(tmp_path, trials=5, epochs=2, pruner="median")  # max_steps: 2 epochs
    out = api.run(spec, ["sweep.model.fusion.name=[concat]"])
    (study,) = out.tuning
    trials = study_trials(mlflow_uri, study.study)
    assert len(trials) == 5
    by_number = {int(r.data.tags["mmbench.trial"]): r for r in runs(mlflow_uri, "trial")}
    for t in trials:  # the objective is reported after each epoch (a pruned trial stops early)
        run = by_number[t.number]
        if t.state == optuna.trial.TrialState.PRUNED:
            assert run.info.status == "KILLED"
            assert run.data.tags["mmbench.ended_because"].startswith("pruned by Optuna")
            assert t.intermediate_values
        else:
            assert t.state == optuna.trial.TrialState.COMPLETE
            assert run.info.status == "FINISHED"
            assert sorted(t.intermediate_values) == [0, 1]


@pytest.mark.slow
def test_parallel_workers_search_the_same_values(tuned, tmp_path, mlflow_uri):
    out = api.run(write_spec(tmp_path, trials=2), ["tune.seeds=[0]"], workers=2)
    assert [len(s.ran) for s in out.tuning] == [2, 2]
    assert [s.study for s in out.tuning] == [s.study for s in tuned[1].tuning]  # same names
    here = by_label(runs(mlflow_uri, "trial"))
    there = by_label(runs(tuned[0], "trial"))
    for label in LABELS:  # trial k draws the same values, whichever process runs it
        assert [r.data.params["train.lr"] for r in here[label]] == [
            r.data.params["train.lr"] for r in there[label]
        ]
    assert len(runs(mlflow_uri, "final", "FINISHED")) == 2


def test_mmbench_run_tunes_a_spec_with_tune_and_reports_the_final_runs(tmp_path, mlflow_uri):
    path = write_spec(tmp_path, trials=1)
    args = ["run", str(path), "--set", "sweep.model.fusion.name=[concat]"]
    result = CliRunner().invoke(cli, [*args, "--set", "tune.seeds=[0]"])
    assert result.exit_code == 0, result.output
    assert "tuning 1 configuration, 1 trials each, then 1 final run each" in result.output
    assert "trial 0 of fusion=concat: complete" in result.output
    assert "tuned fusion=concat: train.lr=" in result.output
    assert "runs: 1 finished" in result.output
    assert "| fusion=concat | 1 |" in result.output  # the leaderboard: the final run alone
