"""The breakdown's tests find each example's category by the task's id field, wherever it sits
in a prediction record (not by the record's first field)."""

from __future__ import annotations

import json

import pandas as pd

from mmbench.reporting.group_tests import _records, id_key_of


def test_the_id_field_comes_from_the_runs_task():
    vqa = pd.DataFrame({"tags.mmbench.task": ["vqa", "vqa"]})
    captioning = pd.DataFrame({"tags.mmbench.task": ["captioning"]})
    assert id_key_of(vqa) == "question_id"
    assert id_key_of(captioning) == "image_id"
    assert id_key_of(pd.DataFrame({"tags.mmbench.task": ["asr"]})) == "id"
    # unrecorded, unknown or mixed tasks: the common field name
    assert id_key_of(pd.DataFrame({"run_id": ["a"]})) == "id"
    assert id_key_of(pd.DataFrame({"tags.mmbench.task": ["no_such_task"]})) == "id"
    assert id_key_of(pd.DataFrame({"tags.mmbench.task": ["vqa", "captioning"]})) == "id"


def test_records_are_keyed_by_the_id_field_not_the_first_field(tmp_path):
    path = tmp_path / "test.jsonl"
    rows = [
        {"question": "what colour?", "question_id": 7, "answer_type": "other"},
        {"question": "how many?", "question_id": 8, "answer_type": "number"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    records = _records(path, "question_id")
    assert set(records) == {"7", "8"} and records["8"]["answer_type"] == "number"
    # a record without the field: the file is skipped (no category is guessed)
    assert _records(path, "image_id") is None
