"""``mmbench eval vqa``: official formats in, official numbers out; bad files exit 2."""

from __future__ import annotations

import csv
import json

import pytest

from mmbench.evaluation import evaluate_vqa
from tests.evaluation.helpers import assert_user_error, invoke, vqa_files, write_json


def args(files, *extra):
    return ["vqa", "--predictions", files["predictions"], "--annotations", files["annotations"],
            "--questions", files["questions"], *extra]  # fmt: skip


def test_hand_checked_scores_json(tmp_path):
    result = invoke(*args(vqa_files(tmp_path), "--json"))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    # Q1 gated exact "Yes" vs yes: 0; Q2 two→2, 4 matches: 1; Q3 3 matches: 0.9; Q4: 1
    assert out["scores"] == {"vqa_acc": 72.5}
    assert out["breakdown"]["answer_type"] == {"yes/no": 0.0, "number": 100.0, "other": 95.0}
    assert out["breakdown"]["question_type"] == {"is the": 66.67, "what color": 90.0}
    assert out["n"] == 4 and out["task"] == "vqa"
    assert out["fingerprints"]["vqa_acc"].startswith("vqa_acc/1")


def test_table_and_per_example_files(tmp_path):
    files = vqa_files(tmp_path)
    result = invoke(*args(files, "--per-example", tmp_path / "out" / "per.csv"))
    assert result.exit_code == 0, result.output
    assert "vqa_acc" in result.stdout and "72.5" in result.stdout and "4 examples" in result.stdout
    rows = list(csv.DictReader((tmp_path / "out" / "per.csv").open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert [float(r["vqa_acc"]) for r in rows] == [0.0, 100.0, 90.0, 100.0]
    assert json.loads(rows[0]["reference"]) == ["yes"] * 10
    assert invoke(*args(files, "--per-example", tmp_path / "per.jsonl")).exit_code == 0
    lines = (tmp_path / "per.jsonl").read_text(encoding="utf-8").splitlines()
    assert (
        json.loads(lines[2])["vqa_acc"] == 90.0 and json.loads(lines[2])["answer_type"] == "other"
    )


def test_ci_is_seeded_and_brackets_the_score(tmp_path):
    files = vqa_files(tmp_path)
    a = json.loads(invoke(*args(files, "--json", "--ci", "--seed", "3")).stdout)
    b = json.loads(invoke(*args(files, "--json", "--ci", "--seed", "3")).stdout)
    lo, hi = a["ci"]["vqa_acc"]
    assert a["ci"] == b["ci"] and lo <= 72.5 <= hi and lo >= 0 and hi <= 100 and lo < hi
    assert "95% CI" in invoke(*args(files, "--ci")).stdout


def test_questions_file_is_optional(tmp_path):
    files = vqa_files(tmp_path)
    report = evaluate_vqa(files["predictions"], files["annotations"])
    assert report.scores == {"vqa_acc": 72.5}


@pytest.mark.parametrize(
    "preds, fragments",
    [
        ({1: "yes", 2: "2", 3: "red"}, ["results.json", "1 question_id(s)", "no prediction", "4"]),
        ({**{q: "x" for q in range(1, 5)}, 9: "x", 8: "y"}, ["results.json", "not in", "9, 8"]),
    ],
)
def test_missing_and_extra_ids(tmp_path, preds, fragments):
    assert_user_error(invoke(*args(vqa_files(tmp_path, preds))), *fragments)


def test_duplicate_ids(tmp_path):
    files = vqa_files(tmp_path)
    write_json(files["predictions"], [{"question_id": q, "answer": "a"} for q in [1, 2, 3, 4, 2]])
    assert_user_error(invoke(*args(files)), "results.json", "duplicate question_id", "2")


@pytest.mark.parametrize(
    "data, fragments",
    [
        ({"question_id": 1, "answer": "a"}, ["expected a JSON list", "found a JSON object"]),
        ([], ["is empty"]),
        ([{"question_id": 1, "answer": 3}], ['"answer" has the wrong type', "positions 0"]),
        ([{"question_id": 1}], ['missing "answer"']),
        (["yes"], ["not a JSON object"]),
    ],
)
def test_wrong_shapes(tmp_path, data, fragments):
    files = vqa_files(tmp_path)
    write_json(files["predictions"], data)
    assert_user_error(invoke(*args(files)), "results.json", *fragments)


def test_wrong_annotation_shape(tmp_path):
    files = vqa_files(tmp_path)
    write_json(files["annotations"], [{"question_id": 1}])
    assert_user_error(invoke(*args(files)), "annotations.json", '"annotations" list')


def test_questions_must_match_annotations(tmp_path):
    files = vqa_files(tmp_path)
    write_json(files["questions"], {"questions": [{"question_id": q} for q in (1, 2, 3)]})
    assert_user_error(invoke(*args(files)), "questions.json", "4")


@pytest.mark.parametrize(
    "content, fragments",
    [
        (b"", ["is empty"]),
        (b"  \n", ["is empty"]),
        (b'[{"question_id": 1, "answer": "caf\xe9"}]', ["not valid UTF-8", "0xe9"]),
        (b'[{"question_id": 1,, }]', ["invalid JSON at line 1"]),
    ],
)
def test_unreadable_files(tmp_path, content, fragments):
    files = vqa_files(tmp_path)
    files["predictions"].write_bytes(content)
    assert_user_error(invoke(*args(files)), "results.json", *fragments)


def test_missing_file(tmp_path):
    files = vqa_files(tmp_path)
    files["annotations"].unlink()
    assert_user_error(invoke(*args(files)), "annotations.json: file not found")


def test_bad_per_example_suffix(tmp_path):
    result = invoke(*args(vqa_files(tmp_path), "--per-example", tmp_path / "x.txt"))
    assert_user_error(result, "x.txt", ".csv or .jsonl")
