"""Accumulating metric classes: identical to the functional forms whatever the batch split."""

from __future__ import annotations

import importlib.util
import random

import numpy as np
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from mmbench.metrics.classes import (
    BLEU,
    ROUGE,
    CharErrorRate,
    CIDErD,
    VQAAccuracy,
    WordErrorRate,
)
from mmbench.metrics.vqa import vqa_accuracy
from mmbench.metrics.wer import cer, wer

WORDS = ["a", "man", "riding", "horse", "dog", "the", "red", "two", "Yes", "no", "2", "cat."]


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 8)))


def data(n: int = 60, seed: int = 0):
    rng = random.Random(seed)
    preds = [sentence(rng) for _ in range(n)]
    single = [sentence(rng) for _ in range(n)]
    multi = [[sentence(rng) for _ in range(rng.randint(1, 4))] for _ in range(n)]
    answers = [[rng.choice(["yes", "Yes", "no", "2", "two"]) for _ in range(10)] for _ in range(n)]
    return preds, single, multi, answers


def random_split(n: int, rng: random.Random) -> list[tuple[int, int]]:
    cuts = sorted(rng.sample(range(1, n), rng.randint(1, 6)))
    bounds = [0, *cuts, n]
    return list(zip(bounds[:-1], bounds[1:]))


def same(a, b) -> None:
    assert a.scores == b.scores
    assert a.fingerprint == b.fingerprint
    assert a.breakdown == b.breakdown
    assert a.per_example.keys() == b.per_example.keys()
    for k in a.per_example:
        np.testing.assert_array_equal(a.per_example[k], b.per_example[k])


CASES = [
    (VQAAccuracy, {}, "answers", lambda p, r: vqa_accuracy(p, r)),
    (WordErrorRate, {}, "single", lambda p, r: wer(p, r)),
    (WordErrorRate, {"normalizer": "basic"}, "single", lambda p, r: wer(p, r, normalizer="basic")),
    (CharErrorRate, {}, "single", lambda p, r: cer(p, r)),
]


@pytest.mark.parametrize("cls, kwargs, refs_kind, functional", CASES)
def test_batch_split_invariance_and_reset(cls, kwargs, refs_kind, functional):
    preds, single, multi, answers = data()
    refs = {"single": single, "multi": multi, "answers": answers}[refs_kind]
    expected = functional(preds, refs)
    metric = cls(**kwargs)
    rng = random.Random(1)
    for _ in range(3):
        metric.reset()
        for lo, hi in random_split(len(preds), rng):
            metric.update(preds[lo:hi], refs[lo:hi])
        same(metric.compute(), expected)
    metric.reset()
    assert metric.preds == [] and metric.refs == []
    metric.update(preds[:5], refs[:5])
    same(metric.compute(), functional(preds[:5], refs[:5]))


def test_single_example_update_and_device_move():
    metric = VQAAccuracy().to("cpu")  # string states survive .to(): they are not tensors
    metric.update("yes", ["yes"] * 10)
    metric.update(["no"], [["no"] * 3 + ["x"] * 7])
    assert list(metric.compute().per_example["vqa_acc"]) == [100.0, 90.0]
    with pytest.raises(ValueError):
        metric.update(["a", "b"], [["a"]])


def test_forward_returns_batch_result():
    metric = WordErrorRate()
    batch = metric(["a b"], ["a c"])  # forward: the batch's own score, state still accumulates
    assert batch.scores["wer"] == 0.5
    metric(["x"], ["x"])
    assert metric.compute().scores["wer"] == 1 / 3


def _optional(module: str, cls, kwargs, functional_name: str):
    pytest.importorskip(module)
    preds, single, multi, _ = data(25, seed=5)
    fn = getattr(importlib.import_module(module), functional_name)
    refs = multi if cls is not ROUGE else single
    expected = fn(preds, refs, **kwargs)
    metric = cls(**kwargs)
    for lo, hi in random_split(len(preds), random.Random(2)):
        metric.update(preds[lo:hi], refs[lo:hi])
    same(metric.compute(), expected)


def test_cider_class():
    _optional("mmbench.metrics.cider", CIDErD, {"tokenizer": "python"}, "cider_d")


def test_bleu_class():
    _optional("mmbench.metrics.bleu", BLEU, {"tokenizer": "python"}, "bleu")


def test_rouge_class():
    _optional("mmbench.metrics.rouge", ROUGE, {"use_stemmer": False}, "rouge")


def _worker(rank: int, world: int, init_file: str, out: dict) -> None:
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    preds, single, _, _ = data(20)
    metric = WordErrorRate()
    metric.update(preds[rank::world], single[rank::world])  # each rank sees its shard
    result = metric.compute()
    out[rank] = (result.scores, len(metric.preds))  # local state restored after compute
    dist.destroy_process_group()


def test_distributed_gather_of_strings(tmp_path):
    world = 2
    out = mp.Manager().dict()
    # fork: the children reuse the parent's imports (spawn re-imports torch, ~3 s more)
    args = (world, str(tmp_path / "init"), out)
    mp.start_processes(_worker, args=args, nprocs=world, join=True, start_method="fork")
    preds, single, _, _ = data(20)
    order = [i for r in range(world) for i in range(r, 20, world)]  # rank 0 first, then rank 1
    expected = wer([preds[i] for i in order], [single[i] for i in order]).scores
    assert out[0] == out[1] == (expected, 10)
    assert torch.distributed.is_available()
