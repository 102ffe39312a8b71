"""Lazily read images (``dataset.kwargs.lazy``): the same tensors, statistics, batches and run as
the in-memory path, with files read only when a batch needs them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from mmbench.data.coco_captions import coco_captions
from mmbench.data.lazy_column import materialize
from mmbench.data.lazy_images import ImageRef, LazyImages
from mmbench.engine.loop import iterate_batches
from mmbench.errors import MmbenchError
from mmbench.tasks.images import ImageNorm, image_tensor
from tests.data.test_coco_captions import make_fixture


def both(tmp_path, n_images=7):
    make_fixture(tmp_path, n_images)
    eager = coco_captions(task="captioning", root=str(tmp_path), image_size=16)
    lazy = coco_captions(task="captioning", root=str(tmp_path), image_size=16, lazy=True)
    return eager, lazy


def test_lazy_examples_refer_to_files_and_read_the_same_pixels(tmp_path):
    eager, lazy = both(tmp_path)
    assert all(isinstance(e["image"], ImageRef) for e in lazy.train)
    for a, b in zip(eager.test, lazy.test):
        assert np.array_equal(a["image"], np.asarray(b["image"]))
    column = image_tensor(lazy.train)
    assert isinstance(column, LazyImages) and column.shape == (7, 3, 16, 16)
    stacked = image_tensor(eager.train)
    assert torch.equal(column[torch.tensor([4, 0, 6])], stacked[torch.tensor([4, 0, 6])])
    assert torch.equal(column[2:5], stacked[2:5])


def test_statistics_read_in_chunks_equal_the_stacked_ones(tmp_path, monkeypatch):
    eager, lazy = both(tmp_path)
    monkeypatch.setattr("mmbench.tasks.images.FIT_CHUNK", 3)  # 7 images: chunks 3 + 3 + 1
    a, b = ImageNorm.fit(image_tensor(eager.train)), ImageNorm.fit(image_tensor(lazy.train))
    assert np.allclose(a.mean, b.mean, rtol=0, atol=0)
    assert np.allclose(a.std, b.std, rtol=0, atol=0)


@pytest.mark.parametrize("workers", [0, 2])
def test_batches_in_the_same_order_with_and_without_loader_workers(tmp_path, workers):
    eager, lazy = both(tmp_path)
    data_e = {"image": image_tensor(eager.train), "index": torch.arange(7)}
    data_l = {"image": image_tensor(lazy.train), "index": torch.arange(7)}
    seq_e = list(iterate_batches(data_e, 3, generator=torch.Generator().manual_seed(5)))
    seq_l = list(
        iterate_batches(data_l, 3, generator=torch.Generator().manual_seed(5), num_workers=workers)
    )
    assert [len(b["index"]) for b in seq_l] == [3, 3, 1]
    for be, bl in zip(seq_e, seq_l, strict=True):
        assert torch.equal(be["index"], bl["index"]) and torch.equal(be["image"], bl["image"])


def test_a_missing_file_is_named_when_the_set_is_read(tmp_path):
    make_fixture(tmp_path, 3)
    (tmp_path / "images" / "COCO_000000000001.jpg").unlink()
    with pytest.raises(MmbenchError, match="COCO_000000000001.jpg does not exist"):
        coco_captions(task="captioning", root=str(tmp_path), lazy=True)
    with pytest.raises(MmbenchError, match="dataset.kwargs.lazy: expected true or false"):
        coco_captions(task="captioning", root=str(tmp_path), lazy="yes")


def test_a_file_that_goes_missing_after_loading_names_its_entry(tmp_path):
    # one reference is kept per example, so it holds the entry as parts (no dict, no message
    # formatted up front) and formats them only when the file cannot be read
    make_fixture(tmp_path, 3)
    lazy = coco_captions(task="captioning", root=str(tmp_path), lazy=True)
    ref = lazy.train[1]["image"]
    assert not hasattr(ref, "__dict__") and isinstance(ref.where, tuple)
    Path(ref.path).unlink()
    with pytest.raises(MmbenchError, match=r"captions_train\.json: images\[1\] \(id \d+\)"):
        np.asarray(ref)


def test_kept_captions_are_copies_that_do_not_pin_the_parsed_document(tmp_path, monkeypatch):
    # a string kept from the parsed JSON keeps the arena of the records around it resident:
    # 60 MiB at 50k images (benchmarks/bench_lazy_loading.py), so the loader keeps copies
    import mmbench.data.coco_captions as module

    data = make_fixture(tmp_path, 4)
    for ann in data["annotations"]:  # nothing to strip: strip() would return the same object
        ann["caption"] = ann["caption"].strip()
    for split in ("train", "val", "test"):
        (tmp_path / "annotations" / f"captions_{split}.json").write_text(json.dumps(data))
    documents, original = [], module.read_json

    def read_json(path):
        documents.append(original(path))  # kept alive, so no id is reused
        return documents[-1]

    monkeypatch.setattr(module, "read_json", read_json)
    lazy = coco_captions(task="captioning", root=str(tmp_path), lazy=True)
    parsed = {id(a["caption"]) for doc in documents for a in doc["annotations"]}
    kept = [c for split in (lazy.train, lazy.val, lazy.test) for e in split for c in e["captions"]]
    assert len(documents) == 3 and kept[:3] == [
        "A photo 0 no 0.",
        "A photo 0 no 1.",
        "A photo 1 no 0.",
    ]
    assert len(kept) == 3 * (2 + 3 + 4 + 5) and not parsed & {id(c) for c in kept}
    assert module.own_copy("a \ud800 lone surrogate") == "a \ud800 lone surrogate"


SPEC = """
name: lazy_cap
task: captioning
dataset: {{name: coco_captions, kwargs: {{root: {root}, image_size: 16, lazy: {lazy}}}}}
model:
  dim: 16
  encoders:
    image: {{name: cnn, kwargs: {{widths: [8, 16]}}}}
  fusion: {{name: concat}}
  head: {{name: gru_decoder, kwargs: {{max_len: 8}}}}
train: {{epochs: 2, batch_size: 4, lr: 0.005, seed: 0, num_workers: {workers}}}
"""


def test_a_lazy_run_with_loader_workers_equals_the_in_memory_run(tmp_path, write):
    from mmbench.engine.run import execute
    from mmbench.spec import load_plan

    make_fixture(tmp_path / "coco", 9)
    outcomes = []
    for lazy, workers in (("false", 0), ("true", 0), ("true", 2)):
        text = SPEC.format(root=tmp_path / "coco", lazy=lazy, workers=workers)
        outcomes.append(execute(load_plan(write(text, f"{lazy}.yaml")).specs[0]))
    eager, lazy, loaded = outcomes
    assert eager.history == lazy.history == loaded.history
    assert eager.test == lazy.test == loaded.test


def test_corrupted_evaluation_of_lazy_images_reads_one_batch_at_a_time(
    tmp_path, write, monkeypatch
):
    """A lazy split is corrupted batch by batch (never the whole split at once) and scores
    exactly as the in-memory split corrupted whole."""
    from mmbench.corruptions import apply
    from mmbench.engine import corrupt
    from mmbench.engine.run import execute
    from mmbench.spec import load_plan

    make_fixture(tmp_path / "coco", 9)
    calls: list[tuple[str, int]] = []
    real = apply.corrupt_examples

    def spy(examples, *args, **kwargs):
        rows = kwargs.get("rows", args[5] if len(args) > 5 else None)
        out = real(examples, *args, **kwargs)
        first = examples[rows[0] if rows is not None else 0]["image"]
        changed = not np.array_equal(np.asarray(materialize(first)), out[0]["image"])
        calls.append(("batch" if rows is not None else "split", len(out), changed))
        return out

    monkeypatch.setattr(corrupt, "corrupt_examples", spy)
    from mmbench.engine import run as run_module

    predicted: list = []
    real_predict = run_module.predict_split
    monkeypatch.setattr(
        run_module,
        "predict_split",
        lambda *a, **k: predicted.append(real_predict(*a, **k)) or predicted[-1],
    )
    eval_part = "eval: {batch_size: 2, corruptions: {image: [{name: occlusion, levels: [0.5]}]}}"
    outcomes, seen, preds = [], [], []
    for lazy in ("false", "true"):
        calls.clear()
        predicted.clear()
        text = SPEC.format(root=tmp_path / "coco", lazy=lazy, workers=0) + eval_part + "\n"
        outcomes.append(execute(load_plan(write(text, f"c{lazy}.yaml")).specs[0]))
        seen.append(list(calls))
        preds.append(list(predicted))
    eager, lazy = outcomes
    assert len(preds[0]) == 2 and preds[0] == preds[1]  # clean and occluded captions alike
    assert any(" at image:occlusion:0.5" in k for k in eager.test)
    assert eager.test == lazy.test
    assert {kind for kind, _, _ in seen[0]} == {"split"}  # in memory: the whole split at once
    assert {kind for kind, _, _ in seen[1]} == {"batch"}  # lazy: one batch of ≤ 2 at a time
    assert max(n for _, n, _ in seen[1]) <= 2 and sum(n for _, n, _ in seen[1]) == seen[0][0][1]
    assert all(changed for _, _, changed in seen[0] + seen[1])  # the images were occluded
