"""METEOR in the captioning task: opt-in through ``eval.metrics``, Java checked at validation."""

from __future__ import annotations

import shutil

import pytest

from mmbench.build import build_dataset, build_task
from mmbench.errors import MmbenchError
from mmbench.metrics.info import higher_is_better
from mmbench.registry import METRICS
from mmbench.spec import spec_from_dict
from mmbench.tasks.captioning import CaptioningTask

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime")


def spec(metrics: list[str]):
    return spec_from_dict(
        {
            "name": "cap",
            "task": "captioning",
            "dataset": {
                "name": "shapes_captions",
                "kwargs": {"n_train": 6, "n_val": 3, "n_test": 3, "seed": 2},
            },
            "model": {
                "dim": 8,
                "encoders": {"image": {"name": "cnn", "kwargs": {"widths": [4]}}},
                "fusion": {"name": "concat"},
                "head": {"name": "gru_decoder", "kwargs": {"max_len": 6}},
            },
            "eval": {"metrics": metrics},
        }
    )


def test_meteor_is_offered_but_not_a_default():
    assert "meteor" in CaptioningTask.metrics
    assert "meteor" not in CaptioningTask.default_metrics
    assert higher_is_better("meteor") is True


def test_meteor_without_java_fails_spec_validation(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(MmbenchError) as err:
        spec(["cider", "meteor"])
    text = str(err.value)
    assert "eval.metrics[1]: 'meteor' needs a Java runtime" in text
    assert "'java' is not on PATH" in text and "drop 'meteor'" in text
    assert spec(["cider", "bleu"]).eval.metrics == ["cider", "bleu"]  # no Java needed
    assert spec([]).eval.metrics == []


@needs_java
@pytest.mark.java
@pytest.mark.slow
def test_meteor_is_reported_where_java_exists(monkeypatch):
    calls, real = [], METRICS.get("meteor")

    def spy(preds, refs, **kwargs):
        calls.append((list(preds), refs, kwargs))
        return real(preds, refs, **kwargs)

    # the task reads its metrics from the registry: swap the registered function for a spy
    monkeypatch.setitem(METRICS._items, "meteor", spy)
    s = spec(["cider", "meteor"])
    task = build_task(s)
    task.prepare(build_dataset(s))
    refs = [task.references_of(e) for e in task.examples("test")]
    preds = [r[0] for r in refs[:-1]] + ["a small blue square"]
    out = task.evaluate(preds, "test", ["cider", "meteor"])
    assert set(out) == {"cider", "meteor"}
    assert calls == [(preds, refs, {"tokenizer": "python"})]  # one jar run, PTB as COCOEvalCap
    per = out["meteor"].per_example["meteor"]
    assert per.shape == (3,) and per[0] > per[-1] and 0 < out["meteor"]["meteor"] < 1
    assert out["meteor"].fingerprint.metric == "meteor"
