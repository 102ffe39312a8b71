"""Export to the official VQA v2 JSON layout and read it back."""

from __future__ import annotations

import json

import pytest

from mmbench.data.shapes import shapes
from mmbench.data.vqa_format import read_vqa_json, to_vqa_json, write_vqa_json
from mmbench.errors import MmbenchError

FIELDS = (
    "question_id",
    "image_id",
    "question",
    "answers",
    "answer_type",
    "question_type",
    "multiple_choice_answer",
)


@pytest.fixture(scope="module")
def examples():
    return shapes(task="vqa", n_train=30, n_val=5, n_test=5, seed=2).train


def test_layout_is_vqa_v2(examples):
    q, a = to_vqa_json(examples, data_subtype="train")
    assert q["task_type"] == "Open-Ended" and q["data_subtype"] == "train"
    assert set(q["questions"][0]) == {"question_id", "image_id", "question"}
    ann = a["annotations"][0]
    assert set(ann) == {
        "question_id",
        "image_id",
        "question_type",
        "answer_type",
        "multiple_choice_answer",
        "answers",
    }
    assert [x["answer_id"] for x in ann["answers"]] == list(range(1, 11))
    assert all(x["answer_confidence"] == "yes" for x in ann["answers"])
    assert [x["answer"] for x in ann["answers"]] == examples[0]["answers"]
    json.dumps(q), json.dumps(a)  # plain JSON types only


def test_round_trip(tmp_path, examples):
    q_path, a_path = write_vqa_json(examples, tmp_path / "out", prefix="train_")
    assert q_path.name == "train_questions.json" and a_path.name == "train_annotations.json"
    back = read_vqa_json(q_path, a_path)
    assert [{k: e[k] for k in FIELDS} for e in examples] == back


def test_reader_orders_answers_by_id_and_reports_problems(tmp_path, examples):
    q, a = to_vqa_json(examples[:2])
    a["annotations"][0]["answers"].reverse()
    (tmp_path / "q.json").write_text(json.dumps(q))
    (tmp_path / "a.json").write_text(json.dumps(a))
    assert (
        read_vqa_json(tmp_path / "q.json", tmp_path / "a.json")[0]["answers"]
        == examples[0]["answers"]
    )
    with pytest.raises(MmbenchError, match="missing.json: file not found"):
        read_vqa_json(tmp_path / "missing.json", tmp_path / "a.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(MmbenchError, match="bad.json: invalid JSON at line 1"):
        read_vqa_json(tmp_path / "bad.json", tmp_path / "a.json")
    with pytest.raises(MmbenchError, match='a "questions" list'):
        read_vqa_json(tmp_path / "a.json", tmp_path / "a.json")
    a["annotations"] = a["annotations"][1:]
    (tmp_path / "a.json").write_text(json.dumps(a))
    with pytest.raises(
        MmbenchError, match=f"no annotation for question_id {examples[0]['question_id']}"
    ):
        read_vqa_json(tmp_path / "q.json", tmp_path / "a.json")


def test_dataset_loader_and_eval_read_one_vqa_file_alike(tmp_path, examples):
    """One VQA v2 reader: a missing answer type reads the same ("other") in both readers."""
    from mmbench.evaluation.formats import load_vqa

    q, a = to_vqa_json(examples[:3])
    for ann in a["annotations"]:
        del ann["answer_type"]
    (tmp_path / "q.json").write_text(json.dumps(q))
    (tmp_path / "a.json").write_text(json.dumps(a))
    res = [{"question_id": x["question_id"], "answer": "yes"} for x in q["questions"]]
    (tmp_path / "r.json").write_text(json.dumps(res))
    data = read_vqa_json(tmp_path / "q.json", tmp_path / "a.json")
    pairs = load_vqa(tmp_path / "r.json", tmp_path / "a.json", tmp_path / "q.json")
    assert [e["answer_type"] for e in data] == pairs.extra["answer_type"] == ["other"] * 3
    assert [e["answers"] for e in data] == pairs.references
