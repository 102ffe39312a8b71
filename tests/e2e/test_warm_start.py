"""Warm starts: pretrain the image CNN on an image-only run, then warm-start and freeze it in a
fusion run (real temporary MLflow store); checkpoint mismatches name the tensors."""

from __future__ import annotations

import pytest
import torch

from mmbench.api import run
from mmbench.build import build_model, build_task
from mmbench.errors import MmbenchError
from mmbench.spec import load_plan


def load_spec(path):
    return load_plan(path).specs[0]


pytestmark = pytest.mark.e2e

PRETRAIN = """
name: pretrain
task: vqa
dataset: {name: shapes, kwargs: {n_train: 96, n_val: 32, n_test: 32, seed: 3}}
model:
  dim: 16
  encoders:
    image: {name: cnn}
  fusion: {name: concat}
  head: {name: classifier, kwargs: {hidden: 16}}
train: {epochs: 1, batch_size: 32, lr: 0.003, seed: 0}
tracking: {experiment: warm}
"""

FUSION = """
base: pretrain.yaml
name: fusion
model:
  encoders:
    image: {name: cnn, frozen: true, init: {run: RUN}}
    text: {name: gru}
"""


def _ckpt_image_state(mlflow_uri, run_id, tmp_path):
    from mlflow.tracking import MlflowClient

    local = MlflowClient(mlflow_uri).download_artifacts(
        run_id, "checkpoint/model.pt", str(tmp_path)
    )
    state = torch.load(local, weights_only=True)["model"]
    return {
        k[len("encoders.image.") :]: v for k, v in state.items() if k.startswith("encoders.image.")
    }


def test_pretrained_image_encoder_warm_starts_frozen(mlflow_uri, write, tmp_path):
    write(PRETRAIN, "pretrain.yaml")
    (pre,) = run(tmp_path / "pretrain.yaml").outcomes
    pretrained = _ckpt_image_state(mlflow_uri, pre.run_id, tmp_path / "a")
    path = write(FUSION.replace("RUN", pre.run_id), "fusion.yaml")
    (fused,) = run(path).outcomes
    after = _ckpt_image_state(mlflow_uri, fused.run_id, tmp_path / "b")
    assert pretrained.keys() == after.keys()
    for k in pretrained:  # loaded, then frozen: unchanged by the fusion run's training
        torch.testing.assert_close(after[k], pretrained[k], rtol=0, atol=0)
    # the fusion run did train something: its text encoder and head exist and differ from init
    assert fused.history and fused.run_id != pre.run_id


def test_checkpoint_mismatches_name_the_tensors(write, tmp_path):
    spec = load_spec(write(PRETRAIN, "pretrain.yaml"))
    task = build_task(spec)
    from mmbench.build import build_dataset

    task.prepare(build_dataset(spec))
    enc_state = build_model(spec, task).encoders["image"].state_dict()
    bad = dict(enc_state)
    first = next(iter(bad))
    bad[first] = torch.zeros(1, 2, 3)
    bad.pop(list(bad)[-1])
    bad["extra.weight"] = torch.zeros(1)
    torch.save(bad, tmp_path / "bad.pt")
    spec2 = load_spec(
        write(
            PRETRAIN.replace(
                "{name: cnn}", f"{{name: cnn, init: {{path: {tmp_path / 'bad.pt'}}}}}"
            ),
            "bad.yaml",
        )
    )
    with pytest.raises(MmbenchError) as info:
        build_model(spec2, task)
    msg = str(info.value)
    assert f"{first} (checkpoint (1, 2, 3)" in msg
    assert f"missing from the checkpoint: {list(enc_state)[-1]}" in msg
    assert "does not have: extra.weight" in msg


def test_init_needs_exactly_one_source(write):
    with pytest.raises(MmbenchError, match="exactly one of 'run'.*or 'path'"):
        load_spec(write(PRETRAIN.replace("{name: cnn}", "{name: cnn, init: {prefix: x}}")))
    with pytest.raises(MmbenchError, match=r"init.path: .*nope.pt: checkpoint file not found"):
        spec = load_spec(
            write(PRETRAIN.replace("{name: cnn}", "{name: cnn, init: {path: nope.pt}}"))
        )
        from mmbench.build import build_dataset

        task = build_task(spec)
        task.prepare(build_dataset(spec))
        build_model(spec, task)
