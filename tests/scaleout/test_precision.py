"""train.precision: autocast (bf16, fp16 with loss scaling) in the training loop."""

from __future__ import annotations

import pytest
import torch
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.engine.precision import Precision
from mmbench.errors import MmbenchError
from mmbench.spec import load_plan, spec_hash
from tests.spec.helpers import BASE

TINY = """
name: prec
task: vqa
dataset: {name: shapes, kwargs: {n_train: 64, n_val: 16, n_test: 16, seed: 3}}
model:
  dim: 16
  encoders: {image: {name: cnn}, text: {name: bow}}
  head: {name: classifier, kwargs: {hidden: 16}}
train: {epochs: 2, batch_size: 16, seed: 0, log_every: 1}
tracking: {experiment: precision}
"""


@pytest.mark.parametrize("name, dtype", [("bf16", torch.bfloat16), ("fp16", torch.float16)])
def test_autocast_runs_matmuls_in_the_low_precision_on_cpu(name, dtype):
    amp = Precision(name, torch.device("cpu"))
    layer = torch.nn.Linear(4, 2)
    with amp.autocast():
        assert layer(torch.randn(3, 4)).dtype == dtype
    assert layer.weight.dtype == torch.float32  # weights stay float32
    assert (amp.scaler is not None) == (name == "fp16")


def test_fp16_overflow_is_skipped_by_the_scaler_not_taken():
    amp = Precision("fp16", torch.device("cpu"))
    layer = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(layer.parameters(), lr=0.1)
    before = layer.weight.detach().clone()
    scale = amp.scaler.get_scale()
    with amp.autocast():
        loss = layer(torch.full((1, 2), 1e30)).float().sum()
    amp.backward(loss, opt)
    norm = float(torch.nn.utils.clip_grad_norm_(layer.parameters(), 1.0))
    assert amp.overflowed(norm)
    amp.step(opt)
    assert torch.equal(layer.weight, before) and amp.scaler.get_scale() < scale


def test_precision_32_keeps_the_old_hash_and_others_change_it(write):
    plain = load_plan(write(BASE)).specs[0]
    same = load_plan(write(BASE), ["train.precision=32"]).specs[0]
    half = load_plan(write(BASE), ["train.precision=bf16"]).specs[0]
    assert same.train.precision == "32" and spec_hash(same) == spec_hash(plain)
    assert spec_hash(half) != spec_hash(plain)
    with pytest.raises(MmbenchError, match="train.precision"):
        load_plan(write(BASE), ["train.precision=fp8"])


@pytest.mark.e2e
def test_fp16_training_run_finishes_with_a_falling_loss(write, mlflow_uri):
    out = run(write(TINY), ["train.precision=fp16"])
    assert not out.failures and len(out.outcomes) == 1
    client = MlflowClient(mlflow_uri)
    curve = client.get_metric_history(out.outcomes[0].run_id, "train/epoch_loss")
    assert len(curve) == 2 and curve[-1].value < curve[0].value
    assert 0.0 <= out.outcomes[0].test["test/vqa_acc"] <= 100.0


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("name", ["bf16", "fp16"])
def test_cuda_mixed_precision_run(write, mlflow_uri, name):
    out = run(write(TINY), [f"train.precision={name}", "train.device=cuda"])
    assert not out.failures and len(out.outcomes) == 1
