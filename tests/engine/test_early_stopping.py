"""Early stopping ends a run on a validation plateau; a run ended by its cap while still
improving is tagged, and the leaderboard says which configurations may be under-trained."""

from __future__ import annotations

import textwrap

import pytest
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.engine.loop import FitResult, Plateau
from mmbench.errors import MmbenchError
from mmbench.reporting import make_report
from mmbench.spec.schema import TrainSpec

# lr 1e-12: the weights barely move, so the validation score is flat from the first epoch
SPEC = """
name: plateau
task: vqa
dataset: {name: shapes, kwargs: {n_train: 64, n_val: 16, n_test: 16, seed: 3}}
model:
  dim: 8
  encoders: {image: {name: mlp}, text: {name: bow}}
  fusion: {name: concat}
  head: {name: classifier, kwargs: {hidden: 8}}
train: {epochs: 4, batch_size: 16, lr: 1.0e-12, seed: 0, device: cpu,
        early_stopping: {patience: 2}}
tracking: {experiment: plateau}
"""


def _stops(scores, **rule):
    plateau = Plateau(TrainSpec(early_stopping=rule or None))
    for epoch, score in enumerate(scores):
        if plateau.update(score):
            return epoch, plateau
    return None, plateau


def test_patience_counts_epochs_without_an_improvement_beyond_min_delta():
    # 2.05 and 2.0 do not beat 2.0 by more than 0.1: two stale epochs, stop at the second
    assert _stops([1.0, 2.0, 2.05, 2.0, 3.0], patience=2, min_delta=0.1)[0] == 3
    # without min_delta 2.05 is an improvement, so the plateau starts one epoch later
    assert _stops([1.0, 2.0, 2.05, 2.0, 2.0], patience=2)[0] == 4
    assert _stops([1.0, 2.0, 3.0, 4.0], patience=1)[0] is None  # always improving
    assert _stops([1.0, 1.0, 1.0], patience=5)[0] is None


def test_still_improving_at_the_cap():
    _, with_rule = _stops([1.0, 0.5, 0.4], patience=5)  # no plateau of 5 epochs yet
    assert with_rule.improving(FitResult(best_epoch=0, best_score=1.0), 2)
    _, without = _stops([1.0, 2.0, 3.0])
    assert without.improving(FitResult(best_epoch=2, best_score=3.0), 2)
    assert not without.improving(FitResult(best_epoch=1, best_score=3.0), 2)


@pytest.mark.parametrize(
    ("rule", "found"),
    [
        ({"patience": 0}, "patience"),
        ({"patience": 2, "min_delta": -0.1}, "min_delta"),
        ({"patience": 2, "delta": 0.1}, "delta"),
    ],
)
def test_bad_rules_are_refused(rule, found):
    with pytest.raises(ValueError, match=found):
        TrainSpec(early_stopping=rule)


@pytest.mark.e2e
def test_a_plateau_stops_the_run_and_a_capped_improving_run_is_flagged(tmp_path, mlflow_uri):
    spec = tmp_path / "plateau.yaml"
    spec.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    out = run(spec, ["sweep.train.early_stopping.patience=[2, 10]"])
    assert not out.failures
    client = MlflowClient(mlflow_uri)
    exp = client.get_experiment_by_name("plateau")
    runs = {
        r.data.params["train.early_stopping.patience"]: r
        for r in client.search_runs([exp.experiment_id], "tags.`mmbench.kind` = 'train'")
    }
    short, long = runs["2"], runs["10"]
    # a flat score: the best epoch is the first, two stale epochs end training after epoch 2
    assert short.data.tags["mmbench.stopped"] == "plateau"
    assert short.data.metrics["epochs_trained"] == 3 and short.data.metrics["best_epoch"] == 0
    assert short.data.tags["mmbench.still_improving"] == "0"
    # patience 10 > 4 epochs: the cap ends it before any plateau could be seen
    assert long.data.tags["mmbench.stopped"] == "epochs"
    assert long.data.metrics["epochs_trained"] == 4
    assert long.data.tags["mmbench.still_improving"] == "1"
    board, md = make_report("plateau", out_root=tmp_path / "reports")
    assert board.convergence.flagged == [("patience=10", 1, 1)]
    board = md.read_text(encoding="utf-8")
    line = next(x for x in board.splitlines() if x.startswith("**Convergence:**"))
    assert "1 of 2 runs" in line and "patience=10 (1 of 1)" in line and "patience=2" not in line
    page = (md.parent / "report.html").read_text(encoding="utf-8")
    assert "<strong>Convergence:</strong> 1 of 2 runs" in page


def test_early_stopping_is_validated_in_a_spec(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(textwrap.dedent(SPEC).replace("patience: 2", "patience: two"), encoding="utf-8")
    with pytest.raises(MmbenchError, match="train.early_stopping.patience"):
        run(spec)
