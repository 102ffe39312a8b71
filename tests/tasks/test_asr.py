"""The ASR task: spec checks (the fused sequence must keep the audio axis), tensors, CTC loss,
decoding to strings and WER/CER against jiwer."""

from __future__ import annotations

import jiwer
import numpy as np
import pytest
import torch

from mmbench.build import build_model
from mmbench.data.asr_common import asr_meta
from mmbench.data.base import Splits
from mmbench.errors import MmbenchError
from mmbench.metrics.info import higher_is_better
from mmbench.spec import spec_from_dict
from mmbench.spec.schema import ExperimentSpec
from mmbench.tasks.asr import AsrTask, axis_keeping_fusions


def spec(fusion=None, encoders=None, head="ctc", metrics=("wer", "cer"), dataset="spoken_digits"):
    """A schema-valid spec (the task's own checks are what the tests look at)."""
    return ExperimentSpec.model_validate(
        {
            "name": "t",
            "task": "asr",
            "dataset": {"name": dataset},
            "model": {
                "dim": 16,
                "encoders": encoders or {"audio": {"name": "mel_cnn"}},
                "fusion": fusion or {"name": "film", "kwargs": {"primary": "audio"}},
                "head": {"name": head},
            },
            "eval": {"metrics": list(metrics)},
        }
    )


def test_spec_problems_require_a_fusion_keeping_the_audio_axis():
    assert AsrTask.spec_problems(spec()) == []
    problems = AsrTask.spec_problems(spec(fusion={"name": "concat"}))
    assert len(problems) == 1 and "cannot keep the audio time axis" in problems[0]
    assert "cross_attention" in problems[0] and "primary: audio" in problems[0]
    problems = AsrTask.spec_problems(spec(fusion={"name": "cross_attention"}))
    assert problems == [
        "model.fusion.kwargs.primary: task 'asr' needs the fused sequence on the audio time "
        "axis; found None, set model.fusion.kwargs.primary: audio"
    ]
    assert {"film", "cross_attention"} <= set(axis_keeping_fusions())
    assert "concat" not in axis_keeping_fusions()


def test_spec_problems_other_checks():
    only_image = spec(encoders={"image": {"name": "cnn"}})
    assert any("needs an audio encoder" in p for p in AsrTask.spec_problems(only_image))
    wrong_kind = spec(encoders={"audio": {"name": "cnn"}})
    assert any(
        "is an image encoder but input 'audio' is audio" in p
        for p in AsrTask.spec_problems(wrong_kind)
    )
    assert any(
        "does not fit task 'asr'" in p for p in AsrTask.spec_problems(spec(head="classifier"))
    )
    with pytest.raises(MmbenchError, match="cannot keep the audio time axis"):
        spec_from_dict(spec(fusion={"name": "sum"}).model_dump())  # reached by the validator


def tiny_splits(with_image=False):
    """Tones standing in for words: 'a' = 400 Hz, 'b' = 1200 Hz, 'c' = 2400 Hz, 0.15 s each."""
    rng = np.random.default_rng(0)
    freq = {"a": 400, "b": 1200, "c": 2400, "d": 3000}

    def ex(i, text):
        t = np.arange(int(0.15 * 8000)) / 8000
        parts = [np.sin(2 * np.pi * freq[w] * t) for w in text.split()]
        gap = np.zeros(400)
        audio = np.concatenate([p for part in parts for p in (part, gap)]).astype(np.float32)
        out = {
            "id": f"u{i}",
            "audio": audio + 0.01 * rng.standard_normal(len(audio)).astype(np.float32),
            "text": text,
        }
        if with_image:
            out["image"] = np.zeros((1, 8, 16), np.float32)
        return out

    texts = ["a b", "c", "b a c", "a", "c c", "b"]
    rows = [ex(i, t) for i, t in enumerate(texts)]
    return Splits(rows, rows[:3], rows[3:] + [ex(9, "a d")], meta=asr_meta(8000))


def test_tensors_loss_and_decoding():
    s = spec()
    task = AsrTask(s)
    task.prepare(tiny_splits())
    assert task.alphabet == ["<blank>", " ", "a", "b", "c"] and task.num_outputs() == 5
    t = task.tensors("test")
    assert t["audio"].shape[0] == 4 and t["audio"].shape[2] == 40
    # the unseen 'd' is dropped from the target: "a d" → "a "
    assert t["target_len"].tolist() == [1, 3, 1, 2]
    assert t["audio_len"].tolist()[0] == 1 + (1200 + 400) // 80
    torch.manual_seed(0)
    model = build_model(s, task)
    model.train()
    out = task.forward(model, t)
    assert out["log_probs"].shape[:2] == (4, int(out["lengths"].max()))
    loss = task.loss(out, t)
    assert torch.isfinite(loss) and loss.item() > 0
    loss.backward()
    model.eval()
    preds = task.predict(task.forward(model, t), t, model)
    assert len(preds) == 4 and all(isinstance(p, str) for p in preds)


def test_short_training_learns_the_tones():
    s = spec()
    task = AsrTask(s)
    task.prepare(tiny_splits())
    torch.manual_seed(0)
    model = build_model(s, task)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    data = task.tensors("train")
    model.train()
    first = None
    for _ in range(60):
        loss = task.loss(task.forward(model, data), data)
        first = first if first is not None else loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.3 * first
    model.eval()
    preds = task.predict(task.forward(model, data), data, model)
    assert task.evaluate(preds, "train", ["wer"])["wer"].scores["wer"] < 0.5


def test_evaluate_agrees_with_jiwer_and_records():
    task = AsrTask(spec())
    task.prepare(tiny_splits())
    preds = ["a", "a b", "c c", "a"]
    refs = [e["text"] for e in task.examples("test")]
    res = task.evaluate(preds, "test", ["wer", "cer"])
    assert res["wer"].scores["wer"] == pytest.approx(jiwer.wer(refs, preds))
    assert res["cer"].scores["cer"] == pytest.approx(jiwer.cer(refs, preds))
    assert set(task.evaluate(preds, "test", ["cer"])) == {"cer"}
    rec = task.prediction_records(preds, "test")
    assert rec[0] == {"id": "u3", "prediction": "a", "reference": "a", "speaker": None}
    assert higher_is_better("wer") is False and task.state()["alphabet"][0] == "<blank>"


def test_image_input_needs_a_dataset_with_images():
    s = spec(encoders={"audio": {"name": "mel_cnn"}, "image": {"name": "cnn"}})
    with pytest.raises(MmbenchError, match="has no images"):
        AsrTask(s).prepare(tiny_splits())
    task = AsrTask(s)
    task.prepare(tiny_splits(with_image=True))
    assert task.input_specs()["image"].shape == (1, 8, 16)
    t = task.tensors("val")
    model = build_model(s, task)
    out = task.forward(model.eval(), t)
    # the audio-primary fusion keeps the audio encoder's time axis
    assert (
        out["lengths"].tolist()
        == model.encoders["audio"](*task.model_inputs(t)["audio"])[1].sum(1).tolist()
    )
