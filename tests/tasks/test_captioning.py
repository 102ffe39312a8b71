"""Captioning task: targets, decoding with every fusion, metrics, saved vocabulary."""

from __future__ import annotations

import pytest
import torch

from mmbench.build import build_dataset, build_model, build_task
from mmbench.errors import MmbenchError
from mmbench.registry import FUSIONS
from mmbench.spec import spec_from_dict


def spec(**model):
    data = {
        "name": "cap",
        "task": "captioning",
        "dataset": {
            "name": "shapes_captions",
            "kwargs": {"n_train": 12, "n_val": 4, "n_test": 4, "seed": 1},
        },
        "model": {
            "dim": 16,
            "encoders": {
                "image": {"name": "cnn", "kwargs": {"widths": [8]}},
                "tags": {"name": "bow"},
            },
            "fusion": {"name": "concat"},
            "head": {"name": "gru_decoder", "kwargs": {"max_len": 6}},
            **model,
        },
    }
    return spec_from_dict(data)


@pytest.fixture(scope="module")
def prepared():
    s = spec()
    task = build_task(s)
    task.prepare(build_dataset(s))
    return s, task


def test_train_rows_cover_every_reference(prepared):
    _, task = prepared
    train = task.tensors("train")
    assert train["target_in"].shape[0] == 12 * 5  # five references per image
    assert (train["target_in"][:, 0] == task.target_vocab.bos_id).all()
    assert train["target_in"].shape[1] <= 6
    # outputs are the inputs shifted by one, ending with <eos>
    assert torch.equal(
        train["target_out"][:, :-1][train["target_in"][:, 1:] > 0],
        train["target_in"][:, 1:][train["target_in"][:, 1:] > 0],
    )
    assert (train["target_out"] == task.target_vocab.eos_id).sum(1).eq(1).all()
    test = task.tensors("test")
    assert test["image"].shape == (4, 3, 32, 32) and test["index"].tolist() == [0, 1, 2, 3]
    st = task.state()
    assert st["target_vocab"][:4] == ["<pad>", "<unk>", "<bos>", "<eos>"] and st["tags_vocab"]


@pytest.mark.parametrize("fusion", sorted(FUSIONS.names()))
@pytest.mark.parametrize("head", ["gru_decoder", "transformer_decoder"])
def test_every_fusion_feeds_both_decoders(prepared, fusion, head):
    s, task = prepared
    if head == "transformer_decoder" and fusion not in ("concat", "cross_attention"):
        pytest.skip("one decoder over the whole zoo is enough; the other on two fusions")
    s = s.model_copy(deep=True)
    s.model.fusion.name = fusion
    s.model.head.name = head
    torch.manual_seed(0)
    model = build_model(s, task).eval()
    batch = {k: v[:3] for k, v in task.tensors("val").items()}
    out = task.forward(model, batch)
    assert out.shape[:2] == batch["target_in"].shape and torch.isfinite(out).all()
    assert torch.isfinite(task.loss(out, batch))
    for drop in (frozenset(), frozenset({"tags"})):
        preds = task.predict(out, batch, model, drop)
        assert len(preds) == 3 and all(isinstance(p, str) for p in preds)


def test_evaluate_scores_references_and_a_constant_caption_low(prepared):
    _, task = prepared
    refs = [e["captions"] for e in task.examples("test")]
    perfect = task.evaluate([r[0] for r in refs], "test", ["cider", "bleu", "rouge"])
    constant = task.evaluate(["a red circle"] * 4, "test", ["cider", "bleu", "rouge"])
    assert perfect["cider"]["cider"] > constant["cider"]["cider"]
    assert perfect["rouge"]["rougeL"] > constant["rouge"]["rougeL"]
    assert set(perfect) == {"cider", "bleu", "rouge"} and "bleu4" in perfect["bleu"].scores
    records = task.prediction_records(["x"] * 4, "test")
    assert records[0]["caption"] == "x" and len(records[0]["references"]) == 5


def test_spec_errors():
    with pytest.raises(MmbenchError, match="does not fit task 'captioning'"):
        spec(head={"name": "classifier"})
