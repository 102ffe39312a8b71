"""The ``shapes`` builder: layout of examples, determinism, splits, balance, kwargs errors."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from mmbench.data.shapes import shapes
from mmbench.errors import MmbenchError
from mmbench.registry import DATASETS

KEYS = {
    "question_id",
    "image_id",
    "image",
    "question",
    "answers",
    "answer_type",
    "question_type",
    "multiple_choice_answer",
    "scene",
}


def build(**kw):
    return shapes(task="vqa", **{"n_train": 40, "n_val": 10, "n_test": 20, **kw})


@pytest.fixture(scope="module")
def small():
    return build(seed=5)


def _all(s):
    return [*s.train, *s.val, *s.test]


def test_registered_with_its_tasks_and_knobs():
    assert DATASETS.get("shapes") is shapes
    assert shapes.tasks == ("vqa",)
    allowed, open_kwargs = DATASETS.kwargs_of("shapes")
    assert not open_kwargs
    assert {"n_train", "canvas", "seed", "relation_fraction", "distractors"} <= allowed
    assert "task" not in allowed


def test_example_layout(small):
    assert (len(small.train), len(small.val), len(small.test)) == (40, 10, 20)
    for ex in _all(small):
        assert set(ex) == KEYS
        img = ex["image"]
        assert img.dtype == np.uint8 and img.shape == (32, 32, 3)
        assert len(ex["answers"]) == 10 and all(isinstance(a, str) and a for a in ex["answers"])
        assert ex["answer_type"] in ("yes/no", "number", "other")
        assert ex["question"].endswith("?")
        assert 2 <= len(ex["scene"]["objects"]) <= 6
    assert small.meta["name"] == "shapes" and small.meta["seed"] == 5
    assert set(small.meta["question_families"]) == {ex["question_type"] for ex in _all(small)}


def test_question_ids_unique_and_splits_disjoint(small):
    ids = [ex["question_id"] for ex in _all(small)]
    assert len(set(ids)) == len(ids)
    by_split = [
        {ex["question_id"] for ex in split} for split in (small.train, small.val, small.test)
    ]
    assert not (by_split[0] & by_split[1] or by_split[0] & by_split[2] or by_split[1] & by_split[2])
    images = {ex["image"].tobytes() for ex in small.train}
    assert not any(ex["image"].tobytes() in images for ex in small.test)


def _fingerprint(examples):
    return [
        (
            e["question_id"],
            e["image"].tobytes(),
            e["question"],
            tuple(e["answers"]),
            str(e["scene"]),
        )
        for e in examples
    ]


def test_same_seed_is_byte_identical_and_other_seed_differs(small):
    again = build(seed=5)
    for split in ("train", "val", "test"):
        assert _fingerprint(small.get(split)) == _fingerprint(again.get(split))
    other = build(seed=6)
    assert _fingerprint(other.train) != _fingerprint(small.train)
    same_q = sum(a["question"] == b["question"] for a, b in zip(small.train, other.train))
    assert same_q < len(small.train) // 2


def test_split_sizes_do_not_change_other_splits(small):
    bigger = build(seed=5, n_train=60, n_test=5)
    assert _fingerprint(bigger.train[:40]) == _fingerprint(small.train)
    assert _fingerprint(bigger.val) == _fingerprint(small.val)
    assert _fingerprint(bigger.test) == _fingerprint(small.test[:5])


def test_image_shows_the_scene():
    s = build(canvas=48, noise=2.0, colour_jitter=0, n_train=30)
    for ex in s.train:
        scene, img = ex["scene"], ex["image"].astype(int)
        for obj in scene["objects"]:
            # the centre of every shape (circle, square, triangle, cross) is covered
            centre = img[int(obj["y"]), int(obj["x"])]
            assert np.abs(centre - obj["rgb"]).max() <= 12, (obj, centre)
        cell = 48 // 3
        taken = {(o["row"], o["col"]) for o in scene["objects"]}
        for r, c in {(r, c) for r in range(3) for c in range(3)} - taken:
            empty = img[r * cell + cell // 2, c * cell + cell // 2]  # centre of an empty cell
            assert np.abs(empty - scene["background"]).max() <= 12


@pytest.mark.parametrize("canvas,grid", [(48, 3), (64, 4)])
def test_larger_canvas(canvas, grid):
    s = build(canvas=canvas, grid=grid, max_objects=8, n_train=10)
    assert all(e["image"].shape == (canvas, canvas, 3) for e in s.train)
    assert max(len(e["scene"]["objects"]) for e in s.train) <= 8


def test_answers_are_balanced():
    s = shapes(task="vqa", n_train=1500, n_val=1, n_test=1, seed=1)
    by_family: dict[str, Counter] = {}
    for ex in s.train:
        by_family.setdefault(ex["question_type"], Counter())[ex["multiple_choice_answer"]] += 1
    assert set(by_family) == set(s.meta["question_families"])
    for family, counts in by_family.items():
        n = sum(counts.values())
        if family in ("exist", "compare", "relation_exist"):
            assert set(counts) == {"yes", "no"}
            assert abs(counts["yes"] / n - 0.5) < 0.08, (family, counts)
        elif family == "count":
            assert set(counts) == {"0", "1", "2", "3", "4"}
            assert max(counts.values()) / n < 0.2 + 0.08, counts
    # attribute answers: each colour about 1/6 of the colour questions
    colour_q = [
        e for e in s.train if e["question_type"] == "attribute" and "color" in e["question"]
    ]
    colours = Counter(e["multiple_choice_answer"] for e in colour_q)
    assert len(colours) == 6 and max(colours.values()) / len(colour_q) < 1 / 6 + 0.12
    # relation_fraction 0.3 of questions are relational
    rel = sum(e["question_type"].startswith("relation") for e in s.train) / len(s.train)
    assert abs(rel - 0.3) < 0.05


def test_families_and_relation_fraction_select_questions():
    s = build(families=["count", "relation"], relation_fraction=0.5, n_train=80)
    types = Counter(e["question_type"] for e in s.train)
    assert set(types) == {"count", "relation"}
    only = build(families=["relation"], relation_fraction=1.0)
    assert {e["question_type"] for e in only.train} == {"relation"}
    flat = build(relation_fraction=0.0, n_train=80)
    assert flat.meta["question_families"] == ["attribute", "exist", "count", "compare"]
    assert not any(e["question_type"].startswith("relation") for e in flat.train)


def test_exact_answers_without_annotator_noise():
    s = build(annotator_error=0.0, contentious=0.0, answer_variation=False)
    for ex in _all(s):
        assert ex["answers"] == [ex["multiple_choice_answer"]] * 10


@pytest.mark.parametrize(
    "kwargs,name,found",
    [
        ({"n_train": 0}, "n_train", "0"),
        ({"n_val": -3}, "n_val", "-3"),
        ({"n_test": 2.5}, "n_test", "2.5"),
        ({"canvas": 16}, "canvas", "16"),
        ({"canvas": 1000}, "canvas", "1000"),
        ({"canvas": 30, "grid": 4}, "canvas", "30"),
        ({"grid": 1}, "grid", "1"),
        ({"min_objects": 5, "max_objects": 3}, "min_objects", "5"),
        ({"max_objects": 10}, "max_objects", "10"),
        ({"max_count": 7}, "max_count", "7"),
        ({"families": ["count", "colour"]}, "families", "'colour'"),
        ({"families": []}, "families", "[]"),
        ({"families": ["exist"], "relation_fraction": 0.3}, "relation_fraction", "0.3"),
        ({"relation_fraction": 1.5}, "relation_fraction", "1.5"),
        ({"distractors": -0.1}, "distractors", "-0.1"),
        ({"noise": "lots"}, "noise", "'lots'"),
        ({"annotator_error": 0.9}, "annotator_error", "0.9"),
        ({"answer_variation": "yes"}, "answer_variation", "'yes'"),
        ({"seed": -1}, "seed", "-1"),
        ({"n_train": True}, "n_train", "True"),
    ],
)
def test_bad_kwargs_are_named(kwargs, name, found):
    with pytest.raises(MmbenchError) as err:
        build(**kwargs)
    line = next(p for p in err.value.problems if p.startswith(f"dataset.kwargs.{name}:"))
    assert found in line


def test_all_problems_at_once_and_did_you_mean():
    with pytest.raises(MmbenchError) as err:
        build(n_train=0, canvas=8, families=["relatoin"], relation_fraction=0.0)
    text = str(err.value)
    assert "dataset.kwargs.n_train" in text and "dataset.kwargs.canvas" in text
    assert "did you mean 'relation'?" in text
    assert len(err.value.problems) >= 3


def test_other_task_is_refused():
    with pytest.raises(MmbenchError, match="serves task 'vqa'"):
        shapes(task="captioning", n_train=2, n_val=1, n_test=1)
