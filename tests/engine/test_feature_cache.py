"""The feature cache: hits and misses by content, identical results on and off, ls / prune."""

from __future__ import annotations

import os
import time

import pytest
import torch
from click.testing import CliRunner

from mmbench.build import build_dataset, build_model, build_task
from mmbench.cli import cli
from mmbench.engine import feature_cache as fc
from mmbench.engine.run import execute
from mmbench.spec import load_plan

SPEC = """
name: cache
task: vqa
dataset: {name: shapes, kwargs: {n_train: 96, n_val: 32, n_test: 32, seed: 3}}
model:
  dim: 16
  encoders:
    image: {name: cnn, frozen: true}
    text: {name: gru}
  fusion: {name: concat}
  head: {name: classifier, kwargs: {hidden: 16}}
train: {epochs: 2, batch_size: 32, lr: 0.003, seed: 0, modality_dropout: {image: 0.3}}
"""


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MMBENCH_FEATURE_CACHE_DIR", str(tmp_path / "features"))


def setup(write, text=SPEC, overrides=()):
    spec = load_plan(write(text), list(overrides)).specs[0]
    task = build_task(spec)
    task.prepare(build_dataset(spec))
    torch.manual_seed(0)
    return spec, task, build_model(spec, task)


def lookup(spec, task, model, split="train", enc_spec=None):
    return fc.get_or_compute(
        task,
        split,
        "image",
        enc_spec or spec.model.encoders["image"],
        model.encoders["image"],
        64,
        torch.device("cpu"),
    )


def test_cache_on_and_off_give_identical_runs(write):
    spec = load_plan(write(SPEC)).specs[0]
    off = execute(
        spec.model_copy(update={"train": spec.train.model_copy(update={"feature_cache": "off"})})
    )
    on = execute(spec)
    again = execute(spec)
    assert on.test == off.test == again.test
    assert on.history == off.history  # every epoch's losses and scores
    assert len(fc.list_entries()) == 3  # train, val, test of the image encoder; nothing else


def test_hit_then_miss_on_every_change(write):
    spec, task, model = setup(write)
    f, m, hit = lookup(spec, task, model)
    assert not hit and f.shape[0] == 96 and m.shape == f.shape[:2]
    f2, _, hit = lookup(spec, task, model)
    assert hit and torch.equal(f, f2)
    assert not lookup(spec, task, model, split="val")[2]  # another split
    # kwargs
    other = spec.model.encoders["image"].model_copy(update={"kwargs": {"channels": 16}})
    assert not lookup(spec, task, model, enc_spec=other)[2]
    # preprocessing: the task's image statistics
    norm = task.image_norm
    task.image_norm = type(norm)([m + 0.01 for m in norm.mean], norm.std)
    assert not lookup(spec, task, model)[2]
    task.image_norm = norm
    assert lookup(spec, task, model)[2]
    # weights
    with torch.no_grad():
        next(model.encoders["image"].parameters()).add_(1e-3)
    assert not lookup(spec, task, model)[2]
    # data
    spec2, task2, model2 = setup(write, overrides=["dataset.kwargs.seed=4"])
    model2.encoders["image"].load_state_dict(model.encoders["image"].state_dict())
    assert not lookup(spec2, task2, model2)[2]


def test_yaml_off_means_off(write):
    spec = load_plan(write(SPEC), ["train.feature_cache=off"]).specs[0]
    assert spec.train.feature_cache == "off"


def test_when_the_cache_is_allowed():
    assert fc.cache_allowed("auto", frozen=True, randomly_transformed=False)
    assert not fc.cache_allowed("off", frozen=True, randomly_transformed=False)
    assert not fc.cache_allowed("auto", frozen=False, randomly_transformed=False)
    assert not fc.cache_allowed("auto", frozen=True, randomly_transformed=True)


def test_trained_encoders_and_augmented_inputs_are_never_cached(write):
    spec, task, model = setup(write, overrides=["model.encoders.image.frozen=false"])
    assert fc.attach(task, spec, model, torch.device("cpu")) == {}
    task.augment = {"time_masks": 1}  # as ASR's SpecAugment on log-mel frames
    assert fc.input_randomly_transformed(task, spec, "audio")


def test_cli_ls_and_prune(write, tmp_path):
    spec, task, model = setup(write)
    lookup(spec, task, model)
    lookup(spec, task, model, split="val")
    runner = CliRunner()
    out = runner.invoke(cli, ["cache", "ls"])
    assert out.exit_code == 0 and "2 entries" in out.output and "cnn vqa/image train" in out.output
    old = fc.list_entries()[0]
    past = time.time() - 10 * 86400
    os.utime(fc.cache_root() / old.key / "meta.json", (past, past))
    out = runner.invoke(cli, ["cache", "prune", "--older-than", "7d"])
    assert out.exit_code == 0 and "removed 1 entries" in out.output
    assert [e.key for e in fc.list_entries()] != [old.key] and len(fc.list_entries()) == 1
    out = runner.invoke(cli, ["cache", "prune", "--older-than", "soon"])
    assert out.exit_code == 2 and "not an age" in out.output
    assert "removed 1 entries" in runner.invoke(cli, ["cache", "prune"]).output


def test_corrupted_evaluation_feeds_the_corrupted_images_not_cached_features(write):
    """A frozen, cached image encoder must see the corrupted test images: the cached clean
    features would make every corruption level score as the clean test set."""
    text = SPEC + ("eval: {corruptions: {image: [{name: gaussian_noise, levels: [0, 1.0]}]}}\n")
    spec = load_plan(write(text)).specs[0]
    off = execute(
        spec.model_copy(update={"train": spec.train.model_copy(update={"feature_cache": "off"})})
    )
    on = execute(spec)
    assert on.test == off.test
    at = {k: v for k, v in on.test.items() if " at image:" in k}
    assert at and at["test/vqa_acc at image:gaussian_noise:0"] == on.test["test/vqa_acc"]
    assert at["test/vqa_acc at image:gaussian_noise:1"] != on.test["test/vqa_acc"]
