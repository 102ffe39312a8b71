"""The ``shapes_nmn`` loader (skipped where ../shared/data/shapes-nmn is absent)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from mmbench.data.shapes_nmn import question_type, shapes_nmn, to_english
from mmbench.data.shared_data import shared_data_dir
from mmbench.errors import MmbenchError

ROOT = shared_data_dir() / "shapes-nmn"
needs_data = pytest.mark.skipif(not ROOT.is_dir(), reason=f"{ROOT} is absent")


@pytest.mark.parametrize(
    "query,english,qtype",
    [  # hand-applied upstream to_string.py rule
        ("(is green (right_of blue))", "is a green shape right of a blue shape", "relation"),
        ("(is red green)", "is a red shape green", "attribute"),
        ("(is square circle)", "is a square a circle", "attribute"),
        (
            "(is blue (left_of (right_of square)))",
            "is a blue shape left of right of a square",
            "relation2",
        ),
    ],
)
def test_english_and_type(query, english, qtype):
    assert to_english(query) == english
    assert question_type(query) == qtype


@pytest.fixture(scope="module")
def full():
    if not ROOT.is_dir():
        pytest.skip(f"{ROOT} is absent")
    return shapes_nmn(task="vqa")


@needs_data
def test_upstream_splits(full):
    assert (len(full.train), len(full.val), len(full.test)) == (640, 1024, 1024)
    # the README's count for test: 649 false / 375 true
    assert Counter(e["multiple_choice_answer"] for e in full.test) == {"no": 649, "yes": 375}
    raw = np.load(ROOT / "test.input.npy")
    for i in (0, 500, 1023):
        assert np.array_equal(full.test[i]["image"], raw[i])
    queries = (ROOT / "val.query").read_text().splitlines()
    assert full.val[7]["question"] == to_english(queries[7])
    ids = [e["question_id"] for s in (full.train, full.val, full.test) for e in s]
    assert len(set(ids)) == len(ids)
    for e in full.train:
        assert e["answers"] == [e["multiple_choice_answer"]] * 10 and e["answer_type"] == "yes/no"
        assert e["image"].shape == (30, 30, 3) and e["image"].dtype == np.uint8


@needs_data
def test_the_test_questions_are_the_clusters(full):
    """1,024 test scenes but 16 questions: the statistics' units are the questions."""
    from mmbench.spec import load_plan
    from mmbench.tasks.vqa import VqaTask

    assert len({e["question"] for e in full.test}) == 16
    repo = Path(__file__).resolve().parents[2]
    spec = load_plan(repo / "experiments/vqa/baseline.yaml", ["dataset.name=shapes_nmn",
                     "dataset.kwargs={}"]).specs[0]  # fmt: skip
    task = VqaTask(spec)
    task.prepare(full)
    groups = task.groups("test")
    assert len(groups) == 1024 and len(set(groups)) == 16


@needs_data
def test_limits_size_and_tiny():
    s = shapes_nmn(task="vqa", train_split="tiny", n_val=50, n_test=20, size=32)
    assert (len(s.train), len(s.val), len(s.test)) == (64, 50, 20)
    assert s.train[0]["image"].shape == (32, 32, 3)


def test_bad_kwargs(tmp_path):
    with pytest.raises(MmbenchError, match="dataset.kwargs.train_split: 'large'"):
        shapes_nmn(task="vqa", train_split="large")
    with pytest.raises(MmbenchError, match="dataset.kwargs.n_test: 0"):
        shapes_nmn(task="vqa", n_test=0)
    with pytest.raises(MmbenchError, match=f"{tmp_path / 'x'} does not exist"):
        shapes_nmn(task="vqa", root=str(tmp_path / "x"))
