"""``eval.corruptions`` and ``train.corruptions`` end to end on a tiny VQA run."""

from __future__ import annotations

import pandas as pd
import pytest
from mlflow.artifacts import download_artifacts
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.errors import MmbenchError
from mmbench.tasks.vqa import VqaTask

pytestmark = pytest.mark.e2e

SPEC = """
name: tiny_corrupt
task: vqa
dataset: {name: shapes, kwargs: {n_train: 96, n_val: 24, n_test: 48, seed: 3}}
model:
  dim: 16
  encoders:
    image: {name: cnn}
    text: {name: gru}
  fusion: {name: concat}
train: {epochs: 1, batch_size: 32, seed: 0}
eval:
  corruptions:
    image: [{name: gaussian_noise, levels: [0, 0.5]}, {name: occlusion, levels: [0, 0.9]}]
    text: [{name: word_dropout, levels: [0, 0.9]}]
tracking: {experiment: tiny_corrupt}
"""


def test_clean_level_scores_exactly_as_clean_and_each_level_is_logged(write, mlflow_uri):
    out = run(write(SPEC))
    assert not out.failures
    (outcome,) = out.outcomes
    metrics = MlflowClient(mlflow_uri).get_run(outcome.run_id).data.metrics
    clean = metrics["test/vqa_acc"]
    for key in ("image:gaussian_noise", "image:occlusion", "text:word_dropout"):
        assert metrics[f"test/vqa_acc at {key}:0"] == clean  # exactly, not approximately
        assert f"test/vqa_acc at {key}:0.9" in metrics or f"test/vqa_acc at {key}:0.5" in metrics
    run_ = MlflowClient(mlflow_uri).get_run(outcome.run_id)
    local = download_artifacts(
        f"{run_.info.artifact_uri}/scores/corrupted/test_image_occlusion_0.9_per_example.csv",
        tracking_uri=mlflow_uri,
    )
    frame = pd.read_csv(local)
    assert len(frame) == 48
    score = metrics["test/vqa_acc at image:occlusion:0.9"]
    assert frame["vqa_acc"].mean() == pytest.approx(score, abs=0.0051)  # official rounding


def test_corrupted_test_inputs_differ_and_are_seeded(write, mlflow_uri):
    from mmbench.build import build_dataset, build_task
    from mmbench.engine.corrupt import corrupted_split
    from mmbench.spec import load_plan

    spec = load_plan(write(SPEC)).specs[0]
    task = build_task(spec)
    task.prepare(build_dataset(spec))
    assert isinstance(task, VqaTask)
    clean = task.tensors("test")
    c = spec.eval.corruptions["text"][0]
    a = corrupted_split(task, "test", "text", c, 0.9, seed=0)
    b = corrupted_split(task, "test", "text", c, 0.9, seed=0)
    other = corrupted_split(task, "test", "text", c, 0.9, seed=1)
    assert a["text"].equal(b["text"]) and not a["text"].equal(other["text"])
    assert (a["text"] != 0).sum() < (clean["text"] != 0).sum()  # words were dropped
    assert a["image"].equal(clean["image"]) and a["target"].equal(clean["target"])
    zero = corrupted_split(task, "test", "text", c, 0.0, seed=0)
    assert all(zero[k].equal(clean[k]) for k in clean)


def test_training_corruptions_change_training_deterministically(write):
    from mmbench.engine.run import execute
    from mmbench.spec import load_plan

    no_eval = SPEC.split("eval:")[0]
    spec = no_eval.replace(
        "seed: 0}", "seed: 0, corruptions: {image: [{name: gaussian_noise, levels: [0.5]}]}}"
    )
    corrupted = load_plan(write(spec)).specs[0]
    assert corrupted.train.corrupted_inputs() == {"image"}
    a, b = execute(corrupted), execute(corrupted)
    plain = execute(load_plan(write(no_eval, "plain.yaml")).specs[0])
    assert a.history == b.history
    assert a.history[0]["train/epoch_loss"] != plain.history[0]["train/epoch_loss"]


def test_corruptions_are_validated_with_did_you_mean(write, mlflow_uri):
    bad = SPEC.replace("name: occlusion, levels: [0, 0.9]", "name: oclusion, levels: [0]")
    bad = bad.replace(
        "text: [{name: word_dropout, levels: [0, 0.9]}]",
        "txt: []\n    text: [{name: white_noise, levels: [3]},"
        " {name: typos, levels: [2], kwargs: {rat: 1}}]",
    )
    with pytest.raises(MmbenchError) as info:
        run(write(bad))
    text = "\n".join(info.value.problems)
    assert (
        "eval.corruptions.image[1].name: unknown corruption 'oclusion'; did you mean 'occlusion'?"
        in text
    )  # noqa: E501
    assert "eval.corruptions.txt: task 'vqa' has no input 'txt'; did you mean 'text'?" in text
    assert (
        "eval.corruptions.text[0].name: 'white_noise' corrupts audio but input 'text' is text"
        in text
    )  # noqa: E501
    assert "eval.corruptions.text[1].kwargs.rat: corruption 'typos' takes no argument 'rat'" in text  # noqa: E501
    fixed = bad.replace("kwargs: {rat: 1}", "kwargs: {}")
    with pytest.raises(MmbenchError, match=r"text\[1\]\.levels\[0\]: levels of 'typos'"):
        run(write(fixed, "fixed.yaml"))
