"""Summarization task: tensors, ROUGE with sentence lines, text-only data, saved vocabularies."""

from __future__ import annotations

import pytest
import torch
from rouge_score import rouge_scorer

from mmbench.build import build_dataset, build_model, build_task
from mmbench.errors import MmbenchError
from mmbench.spec import spec_from_dict
from mmbench.tasks.summarization import sentence_lines


def spec(encoders=None, dataset=None):
    return spec_from_dict(
        {
            "name": "sum",
            "task": "summarization",
            "dataset": dataset
            or {"name": "scene_summaries", "kwargs": {"n_train": 10, "n_val": 3, "n_test": 3}},
            "model": {
                "dim": 16,
                "encoders": encoders
                or {
                    "document": {"name": "gru"},
                    "image": {"name": "cnn", "kwargs": {"widths": [8]}},
                },
                "fusion": {"name": "concat"},
                "head": {"name": "transformer_decoder", "kwargs": {"max_len": 30, "beam_size": 2}},
            },
        }
    )


@pytest.fixture(scope="module")
def prepared():
    s = spec()
    task = build_task(s)
    task.prepare(build_dataset(s))
    return s, task


def test_tensors_decode_and_state(prepared):
    s, task = prepared
    train = task.tensors("train")
    assert train["document"].shape[0] == 30  # 3 references per item
    assert train["image"].shape == (30, 3, 32, 32)
    torch.manual_seed(0)
    model = build_model(s, task).eval()
    batch = task.tensors("test")
    out = task.forward(model, batch)
    assert out.shape[:2] == batch["target_in"].shape
    preds = task.predict(out, batch, model)
    assert len(preds) == 3
    text_only = task.predict(out, batch, model, frozenset({"image"}))
    assert len(text_only) == 3
    st = task.state()
    assert st["target_vocab"][:4] == ["<pad>", "<unk>", "<bos>", "<eos>"] and st["document_vocab"]


def test_rouge_matches_rouge_score_with_sentence_lines(prepared):
    _, task = prepared
    preds = ["iris showed a red cross at a fair. it rained.", "nothing here"]
    refs = [e["summaries"] for e in task.examples("test")][:2]
    exs = task.examples("test")
    task.splits.test = exs[:2]
    try:
        got = task.evaluate(preds, "test", ["rouge"])["rouge"].scores
    finally:
        task.splits.test = exs
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"])
    want = [
        scorer.score_multi([sentence_lines(r) for r in rr], sentence_lines(p))
        for p, rr in zip(preds, refs)
    ]
    for key in ("rouge1", "rouge2", "rougeL", "rougeLsum"):
        assert got[key] == pytest.approx(sum(w[key].fmeasure for w in want) / 2, abs=1e-9)
    assert sentence_lines("One. Two! Three") == "One.\nTwo!\nThree"


def test_image_encoder_on_text_only_data_is_an_error(tmp_path):
    for split in ("train", "dev", "test"):
        (tmp_path / f"{split}.jsonl").write_text('{"document": "a b c", "summary": "a"}\n')
    s = spec(dataset={"name": "summarization_jsonl", "kwargs": {"root": str(tmp_path)}})
    task = build_task(s)
    with pytest.raises(MmbenchError, match="model.encoders.image: dataset 'summarization_jsonl'"):
        task.prepare(build_dataset(s))
    s = spec(
        encoders={"document": {"name": "bow"}},
        dataset={"name": "summarization_jsonl", "kwargs": {"root": str(tmp_path)}},
    )
    task = build_task(s)
    task.prepare(build_dataset(s))
    assert set(task.input_specs()) == {"document"} and "image" not in task.tensors("val")
