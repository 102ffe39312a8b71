"""Small official-format fixtures written into a temp folder, and a CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mmbench.cli import cli

VQA_ANSWERS = {
    1: ["yes"] * 10,
    2: ["2"] * 3 + ["two"] + ["3"] * 6,
    3: ["red"] * 2 + ["Red."] + ["dark red"] * 7,
    4: ["t-shirt"] * 4 + ["shirt"] * 6,
}
VQA_PREDS = {1: "Yes", 2: "two", 3: "red", 4: "T-Shirt"}


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def vqa_files(tmp: Path, preds: dict | None = None) -> dict[str, Path]:
    preds = VQA_PREDS if preds is None else preds
    questions = {"questions": [{"question_id": q, "image_id": 100 + q, "question": f"q{q}?"}
                               for q in VQA_ANSWERS]}  # fmt: skip
    annotations = {
        "annotations": [
            {
                "question_id": q,
                "image_id": 100 + q,
                "question_type": "what color" if q == 3 else "is the",
                "answer_type": "yes/no" if q == 1 else ("number" if q == 2 else "other"),
                "multiple_choice_answer": answers[0],
                "answers": [
                    {"answer": a, "answer_confidence": "yes", "answer_id": i + 1}
                    for i, a in enumerate(answers)
                ],
            }
            for q, answers in VQA_ANSWERS.items()
        ]
    }
    results = [{"question_id": q, "answer": a} for q, a in preds.items()]
    return {
        "questions": write_json(tmp / "questions.json", questions),
        "annotations": write_json(tmp / "annotations.json", annotations),
        "predictions": write_json(tmp / "results.json", results),
    }


def invoke(*args: str | Path):
    return CliRunner().invoke(cli, ["eval", *(str(a) for a in args)])


def assert_user_error(result, *fragments: str) -> None:
    """Exit code 2, an ``error:`` line on stderr naming each fragment, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stderr.startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert "Traceback" not in result.output
