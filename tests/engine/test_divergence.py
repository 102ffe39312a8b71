"""A diverging learning rate stops the run as FAILED with the step and reason; it never ranks."""

from __future__ import annotations

import math
import textwrap

import pytest
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.engine.divergence import NonFiniteError, NonFiniteGuard
from mmbench.errors import MmbenchError
from mmbench.reporting import make_report

SPEC = """
name: diverge
task: vqa
dataset: {name: shapes, kwargs: {n_train: 64, n_val: 16, n_test: 16, seed: 3}}
model:
  dim: 8
  encoders: {image: {name: mlp}, text: {name: bow}}
  fusion: {name: concat}
  head: {name: classifier, kwargs: {hidden: 8}}
train: {epochs: 2, batch_size: 16, lr: 0.003, grad_clip: null, seed: 0, device: cpu}
tracking: {experiment: diverge}
"""


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "diverge.yaml"
    path.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    return path


def test_guard_fails_by_default_and_skips_when_asked():
    with pytest.raises(NonFiniteError, match="diverged at step 3: loss is nan") as info:
        NonFiniteGuard().skip(3, math.nan, None)
    assert info.value.step == 3 and "train.on_nonfinite" in str(info.value)
    with pytest.raises(NonFiniteError, match="gradient norm is inf"):
        NonFiniteGuard().skip(1, 2.0, math.inf)
    guard = NonFiniteGuard("skip_batch")
    assert guard.skip(1, math.nan, None) and not guard.skip(2, 1.0, 0.5)
    guard.end_epoch(0, 2)  # one good batch: the epoch learnt something
    assert guard.skip(3, math.inf, None) and guard.skipped == 2
    with pytest.raises(NonFiniteError, match="every batch of epoch 1"):
        guard.end_epoch(1, 3)


@pytest.mark.e2e
def test_a_diverged_point_fails_and_stays_off_the_leaderboard(spec, mlflow_uri, tmp_path):
    out = run(spec, ["sweep.train.lr=[0.003, 1.0e6]"])
    assert len(out.outcomes) == 1 and len(out.failures) == 1
    assert "training diverged at step" in out.failures[0][1]
    client = MlflowClient(mlflow_uri)
    exp = client.get_experiment_by_name("diverge")
    failed = client.search_runs([exp.experiment_id], "attributes.status = 'FAILED'")
    assert len(failed) == 1 and failed[0].data.params["train.lr"] == "1000000.0"
    tags = failed[0].data.tags
    assert tags["mmbench.failure.reason"] in {"loss is nan", "loss is inf"}
    assert int(tags["mmbench.failure.step"]) >= 1
    board, _ = make_report("diverge", out_root=tmp_path / "reports")
    assert board.table["label"].tolist() == ["lr=0.003"] and board.table["n"].tolist() == [1]


@pytest.mark.e2e
def test_skip_batch_still_fails_when_a_whole_epoch_is_skipped(spec, mlflow_uri):
    with pytest.raises(MmbenchError, match="every batch of epoch"):
        run(spec, ["train.lr=1.0e6", "train.on_nonfinite=skip_batch"])


def test_on_nonfinite_takes_only_its_two_values(spec):
    from mmbench.api import validate

    with pytest.raises(MmbenchError, match="train.on_nonfinite"):
        validate(spec, ["train.on_nonfinite=ignore"])
