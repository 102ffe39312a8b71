"""Missing-modality robustness: the trained model is evaluated again without each listed input."""

from __future__ import annotations

import pytest
from mlflow.tracking import MlflowClient

from mmbench.api import run
from mmbench.errors import MmbenchError
from mmbench.model import MultimodalModel
from mmbench.reporting import build_report

pytestmark = pytest.mark.e2e

SPEC = """
name: tiny_missing
task: vqa
dataset: {name: shapes, kwargs: {n_train: 96, n_val: 24, n_test: 48, seed: 3}}
model:
  dim: 16
  encoders:
    image: {name: cnn}
    text: {name: gru}
  fusion: {name: concat}
train: {epochs: 1, batch_size: 32, seed: 0}
eval: {missing: [image, text]}
tracking: {experiment: tiny_missing}
"""


def test_scores_without_each_input_are_logged_and_reported(write, mlflow_uri, tmp_path):
    out = run(write(SPEC))
    assert not out.failures
    metrics = MlflowClient(mlflow_uri).get_run(out.outcomes[0].run_id).data.metrics
    for name in ("image", "text"):
        assert 0.0 <= metrics[f"test/vqa_acc without {name}"] <= 100.0
    assert metrics["test/vqa_acc"] == out.outcomes[0].test["test/vqa_acc"]
    board = build_report("tiny_missing", mlflow_uri, tmp_path / "reports").board
    assert board.metrics == [
        "test/vqa_acc",
        "test/vqa_acc without image",
        "test/vqa_acc without text",
    ]
    assert "test/vqa_acc without image ↑" in board.to_markdown()


def test_missing_inputs_are_validated(write, mlflow_uri):
    with pytest.raises(MmbenchError) as info:
        run(write(SPEC.replace("missing: [image, text]", "missing: [imag]")))
    (line,) = [p for p in info.value.problems if "eval.missing" in p]
    assert "eval.missing[0]: 'imag' is not an input the model encodes" in line
    assert "did you mean 'image'?" in line
    single = SPEC.replace("    text: {name: gru}\n", "").replace("[image, text]", "[image]")
    with pytest.raises(MmbenchError, match=r"without 'image' the model has no input left"):
        run(write(single.replace("concat", "sum"), "single.yaml"))


def test_modality_dropout_leaves_inputs_out_of_some_training_batches(
    write, monkeypatch, mlflow_uri
):
    seen: list[frozenset] = []
    original = MultimodalModel.encode

    def spy(self, inputs, drop=frozenset()):
        if self.training:
            seen.append(frozenset(drop))
        return original(self, inputs, drop)

    monkeypatch.setattr(MultimodalModel, "encode", spy)
    spec = SPEC.replace("seed: 0}", "seed: 0, modality_dropout: {image: 0.5}}")
    out = run(write(spec.replace("eval: {missing: [image, text]}\n", "")))
    assert not out.failures and len(seen) >= 3
    assert set(seen) == {frozenset(), frozenset({"image"})}  # text is never left out
    seen.clear()
    run(write(SPEC.replace("tiny_missing", "tiny_no_dropout"), "plain.yaml"))
    assert seen and set(seen) == {frozenset()}


def test_modality_dropout_is_validated(write, mlflow_uri):
    bad = SPEC.replace("seed: 0}", "seed: 0, modality_dropout: {imag: 0.5, text: 1.5}}")
    with pytest.raises(MmbenchError) as info:
        run(write(bad))
    text = "\n".join(info.value.problems)
    assert "train.modality_dropout.text" in text and "0.95" in text
    unknown = SPEC.replace("seed: 0}", "seed: 0, modality_dropout: {imag: 0.5}}")
    with pytest.raises(MmbenchError) as info:
        run(write(unknown, "unknown.yaml"))
    (line,) = [p for p in info.value.problems if "modality_dropout" in p]
    assert "train.modality_dropout.imag: 'imag' is not an input the model encodes" in line
    assert "did you mean 'image'?" in line


def test_zero_dropout_trains_exactly_as_no_dropout(write, mlflow_uri):
    plain = SPEC.replace("eval: {missing: [image, text]}\n", "")
    zeros = plain.replace("seed: 0}", "seed: 0, modality_dropout: {image: 0.0}}")
    a = run(write(plain, "a.yaml")).outcomes[0].test
    b = run(write(zeros.replace("tiny_missing", "tiny_zeros"), "b.yaml")).outcomes[0].test
    assert a["test/loss"] == b["test/loss"] and a["test/vqa_acc"] == b["test/vqa_acc"]
