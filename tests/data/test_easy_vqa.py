"""The ``easy_vqa`` loader (skipped where ../shared/data/easy-vqa is absent)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mmbench.data.easy_vqa import easy_vqa
from mmbench.data.shared_data import shared_data_dir
from mmbench.errors import MmbenchError
from mmbench.registry import DATASETS

ROOT = shared_data_dir() / "easy-vqa"
needs_data = pytest.mark.skipif(not ROOT.is_dir(), reason=f"{ROOT} is absent")


def load(**kw):
    return easy_vqa(task="vqa", **{"n_train": 300, "n_val": 60, "n_test": 100, **kw})


@pytest.fixture(scope="module")
def small():
    if not ROOT.is_dir():
        pytest.skip(f"{ROOT} is absent")
    return load()


@needs_data
def test_examples_match_the_files(small):
    answers = set((ROOT / "answers.txt").read_text().split())
    rows = json.loads((ROOT / "test" / "questions.json").read_text())
    assert (len(small.train), len(small.val), len(small.test)) == (300, 60, 100)
    for ex in [*small.train, *small.val, *small.test]:
        assert ex["image"].shape == (32, 32, 3) and ex["image"].dtype == np.uint8
        assert ex["answers"] == [ex["multiple_choice_answer"]] * 10
        assert ex["multiple_choice_answer"] in answers
        assert ex["answer_type"] == ("yes/no" if ex["answers"][0] in ("yes", "no") else "other")
        assert ex["question_type"] in ("exist", "color", "shape")
    for ex in small.test:  # question_id = 2,000,000 + row of test/questions.json
        question, answer, image_id = rows[ex["question_id"] - 2_000_000]
        assert (ex["question"], ex["multiple_choice_answer"]) == (question, answer)
        assert ex["image_id"] == 2_000_000 + image_id


@needs_data
def test_splits_are_disjoint_by_question_and_image(small):
    ids = [ex["question_id"] for s in (small.train, small.val, small.test) for ex in s]
    assert len(set(ids)) == len(ids)
    train_images = {ex["image_id"] for ex in small.train}
    assert not train_images & {ex["image_id"] for ex in small.val}
    assert not train_images & {ex["image_id"] for ex in small.test}


@needs_data
def test_native_size_is_the_png_and_seed_is_deterministic(small):
    from PIL import Image

    full = load(size=None, n_train=20)
    ex = full.train[0]
    with Image.open(ROOT / "train" / "images" / f"{ex['image_id'] - 1_000_000}.png") as im:
        assert np.array_equal(ex["image"], np.asarray(im.convert("RGB")))
    again = load()
    assert [e["question_id"] for e in again.val] == [e["question_id"] for e in small.val]
    other = load(seed=1)
    assert [e["question_id"] for e in other.val] != [e["question_id"] for e in small.val]


def test_registered():
    assert DATASETS.get("easy_vqa") is easy_vqa and easy_vqa.tasks == ("vqa",)


def test_missing_root_names_the_path(tmp_path, monkeypatch):
    with pytest.raises(MmbenchError, match=f"dataset.kwargs.root: {tmp_path / 'nope'} does not"):
        easy_vqa(task="vqa", root=str(tmp_path / "nope"))
    monkeypatch.setenv("MMBENCH_SHARED_DATA", str(tmp_path))
    with pytest.raises(MmbenchError, match=str(tmp_path / "easy-vqa")):
        easy_vqa(task="vqa")
    (tmp_path / "easy-vqa").mkdir()
    with pytest.raises(MmbenchError, match="lacks train/questions.json"):
        easy_vqa(task="vqa")


def test_bad_kwargs():
    with pytest.raises(MmbenchError, match="dataset.kwargs.size: 3 is not allowed"):
        easy_vqa(task="vqa", size=3)
    with pytest.raises(MmbenchError, match="serves task 'vqa'"):
        easy_vqa(task="asr")
