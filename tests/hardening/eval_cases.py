"""Malformed evaluation files: each must give exit code 2 from ``mmbench eval`` naming the file.

The four tasks' official formats (VQA v2 results/annotations/questions JSON, COCO caption
results/annotations JSON, jsonl or Kaldi ASR transcripts, jsonl summaries), each broken one way:
syntax, encoding, shape, field types, ids, sizes, nesting, file types, and ``--log`` names.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.hardening.harness import Case

DEEP = "[" * 200_000 + "]" * 200_000  # JSON nested 200k deep


def _vqa_good() -> dict[str, Any]:
    answers = {1: ["yes"] * 10, 2: ["2"] * 10}
    questions = {
        "questions": [{"question_id": q, "image_id": q, "question": "q?"} for q in answers]
    }
    annotations = {
        "annotations": [
            {
                "question_id": q,
                "image_id": q,
                "question_type": "is the",
                "answer_type": "other",
                "multiple_choice_answer": a[0],
                "answers": [{"answer": x, "answer_id": i + 1} for i, x in enumerate(a)],
            }
            for q, a in answers.items()
        ]
    }
    results = [{"question_id": 1, "answer": "yes"}, {"question_id": 2, "answer": "2"}]
    return {"results.json": results, "annotations.json": annotations, "questions.json": questions}


def _caption_good() -> dict[str, Any]:
    refs = {
        "images": [{"id": 1}, {"id": 2}],
        "annotations": [
            {"image_id": 1, "id": 1, "caption": "a man on a horse"},
            {"image_id": 2, "id": 2, "caption": "two dogs in snow"},
        ],
    }
    res = [{"image_id": 1, "caption": "a man"}, {"image_id": 2, "caption": "dogs"}]
    return {"res.json": res, "caps.json": refs}


ASR_GOOD = {
    "hyp.jsonl": [{"id": "u1", "text": "the cat"}, {"id": "u2", "text": "hello"}],
    "ref.jsonl": [{"id": "u1", "text": "the cat sat"}, {"id": "u2", "text": "hello"}],
}
SUM_GOOD = {
    "pred.jsonl": [{"id": "d1", "summary": "cats run"}, {"id": "d2", "summary": "a model"}],
    "ref.jsonl": [{"id": "d1", "summary": "the cat runs"}, {"id": "d2", "summary": "models"}],
}

COMMANDS = {
    "vqa": ["vqa", "--predictions", "results.json", "--annotations", "annotations.json",
            "--questions", "questions.json"],
    "captioning": ["captioning", "--predictions", "res.json", "--references", "caps.json"],
    "asr": ["asr", "--predictions", "hyp.jsonl", "--references", "ref.jsonl"],
    "summarization": ["summarization", "--predictions", "pred.jsonl", "--references", "ref.jsonl"],
}  # fmt: skip
GOOD = {
    "vqa": _vqa_good,
    "captioning": _caption_good,
    "asr": lambda: ASR_GOOD,
    "summarization": lambda: SUM_GOOD,
}


def _write_all(folder: Path, files: dict[str, Any]) -> None:
    for name, data in files.items():
        path = folder / name
        if isinstance(data, (bytes, str)):
            path.write_bytes(data if isinstance(data, bytes) else data.encode())
        elif name.endswith(".jsonl"):
            path.write_text("".join(json.dumps(r) + "\n" for r in data), encoding="utf-8")
        else:
            path.write_text(json.dumps(data), encoding="utf-8")


def case(task: str, name: str, content: Any, *expect: str, extra: tuple[str, ...] = ()):
    """The task's good files with ``name`` replaced by ``content`` (data, bytes, or a special
    ``"<dir>"``, ``"<fifo>"``, ``"<dev/zero>"``, ``"<missing>"``)."""

    def build(folder: Path):
        files = dict(GOOD[task]())
        special = content if isinstance(content, str) and content.startswith("<") else None
        if special is None:
            files[name] = content
        else:
            files.pop(name)
        _write_all(folder, files)
        args = list(COMMANDS[task]) + list(extra)
        shown = name
        if special == "<dir>":
            (folder / name).mkdir()
        elif special == "<fifo>":
            os.mkfifo(folder / name)
        elif special == "<dev/zero>":
            args[args.index(name)] = shown = "/dev/zero"
        return ["eval", *args], [shown, *expect]

    return build


def log_name(name: str, *expect: str):
    def build(folder: Path):
        _write_all(folder, ASR_GOOD)
        return ["eval", *COMMANDS["asr"], "--log", name], ["--log", *expect]

    return build


V, C, A, S = "results.json", "caps.json", "hyp.jsonl", "pred.jsonl"
VQA_ANN = _vqa_good()["annotations.json"]
CAP_REFS = _caption_good()["caps.json"]

CASES = {
    # --- VQA -----------------------------------------------------------------------------------
    "vqa_not_json": case("vqa", V, b"[{question_id: 1}]", "invalid JSON", "line 1"),
    "vqa_object": case("vqa", V, {"question_id": 1, "answer": "a"}, "expected a JSON list"),
    "vqa_strings": case("vqa", V, ["yes", "no"], "not a JSON object"),
    "vqa_missing_answer": case("vqa", V, [{"question_id": 1}], 'missing "answer"'),
    "vqa_answer_int": case("vqa", V, [{"question_id": 1, "answer": 3}], '"answer"'),
    "vqa_id_bool": case("vqa", V, [{"question_id": True, "answer": "yes"}], '"question_id"'),
    "vqa_id_float": case("vqa", V, [{"question_id": 1.5, "answer": "yes"}], "question_id"),
    "vqa_duplicate": case("vqa", V, [{"question_id": 1, "answer": "a"}] * 2, "duplicate"),
    "vqa_unknown_question": case(
        "vqa",
        V,
        [
            {"question_id": 1, "answer": "a"},
            {"question_id": 2, "answer": "b"},
            {"question_id": 9, "answer": "c"},
        ],
        "9",
    ),  # noqa: E501
    "vqa_missing_prediction": case("vqa", V, [{"question_id": 1, "answer": "a"}], "2"),
    "vqa_empty_file": case("vqa", V, b"", "empty"),
    "vqa_empty_list": case("vqa", V, [], "empty"),
    "vqa_not_utf8": case("vqa", V, b'[{"question_id": 1, "answer": "caf\xe9"}]', "UTF-8"),
    "vqa_deep": case("vqa", V, DEEP, "nested too deeply"),
    "vqa_deep_annotations": case("vqa", "annotations.json", DEEP, "nested too deeply"),
    "vqa_directory": case("vqa", V, "<dir>", "directory"),
    "vqa_fifo": case("vqa", V, "<fifo>", "regular file"),
    "vqa_dev_zero": case("vqa", V, "<dev/zero>", "regular file"),
    "vqa_missing_file": case("vqa", V, "<missing>", "not found"),
    "vqa_annotations_list": case("vqa", "annotations.json", [1, 2], '"annotations"'),
    "vqa_annotation_no_answers": case(
        "vqa", "annotations.json", {"annotations": [{"question_id": 1}]}, "annotations.json"
    ),  # noqa: E501
    "vqa_answers_not_list": case(
        "vqa",
        "annotations.json",
        {"annotations": [dict(VQA_ANN["annotations"][0], answers="yes")]},
        "answers",
    ),  # noqa: E501
    "vqa_questions_mismatch": case(
        "vqa", "questions.json", {"questions": [{"question_id": 1}]}, "2"
    ),  # noqa: E501
    "vqa_nan_literal": case("vqa", V, b'[{"question_id": NaN, "answer": "a"}]', "question_id"),
    "vqa_huge_number": case("vqa", V, b'[{"question_id": 1e999, "answer": "a"}]', "question_id"),
    # --- captioning ------------------------------------------------------------------------------
    "cap_object": case("captioning", "res.json", {"image_id": 1}, "expected a JSON list"),  # noqa: E501
    "cap_missing_caption": case("captioning", "res.json", [{"image_id": 1}], '"caption"'),
    "cap_caption_int": case("captioning", "res.json", [{"image_id": 1, "caption": 3}], '"caption"'),  # noqa: E501
    "cap_id_string": case(
        "captioning",
        "res.json",
        [{"image_id": "1", "caption": "a"}, {"image_id": "2", "caption": "b"}],
        "image_id",
    ),  # noqa: E501
    "cap_duplicate": case(
        "captioning", "res.json", [{"image_id": 1, "caption": "a"}] * 2, "duplicate"
    ),  # noqa: E501
    "cap_unknown_image": case(
        "captioning",
        "res.json",
        [
            {"image_id": 1, "caption": "a"},
            {"image_id": 2, "caption": "b"},
            {"image_id": 7, "caption": "c"},
        ],
        "7",
    ),  # noqa: E501
    "cap_refs_no_annotations": case("captioning", C, {"images": [{"id": 1}]}, '"annotations"'),
    "cap_refs_list": case("captioning", C, [1, 2, 3], C),
    "cap_refs_caption_int": case(
        "captioning",
        C,
        dict(CAP_REFS, annotations=[{"image_id": 1, "id": 1, "caption": 5}]),
        "caption",
    ),  # noqa: E501
    "cap_deep": case("captioning", "res.json", DEEP, "nested too deeply"),
    "cap_deep_refs": case("captioning", C, '{"images": ' + DEEP + "}", "nested too deeply"),
    "cap_not_utf8": case("captioning", C, b"\xff\xfe{}", "UTF-8"),
    "cap_directory": case("captioning", C, "<dir>", "directory"),
    "cap_truncated": case(
        "captioning", "res.json", b'[{"image_id": 1, "caption": "a"', "invalid JSON"
    ),  # noqa: E501
    # --- ASR -------------------------------------------------------------------------------------
    "asr_bad_line": case("asr", A, b'{"id": "u1", "text": "a"}\n{oops}\n', "line 2"),
    "asr_line_list": case("asr", A, b'["u1", "a"]\n', "not in ref.jsonl"),
    "asr_missing_text": case("asr", A, [{"id": "u1"}, {"id": "u2", "text": "x"}], '"text"'),
    "asr_text_int": case("asr", A, [{"id": "u1", "text": 3}, {"id": "u2", "text": "x"}], '"text"'),  # noqa: E501
    "asr_duplicate": case(
        "asr",
        A,
        [{"id": "u1", "text": "a"}, {"id": "u1", "text": "b"}, {"id": "u2", "text": "c"}],
        "duplicate",
    ),  # noqa: E501
    "asr_missing_ids": case("asr", A, [{"id": "u1", "text": "a"}], "u2"),
    "asr_extra_ids": case(
        "asr",
        A,
        [{"id": "u1", "text": "a"}, {"id": "u2", "text": "b"}, {"id": "u9", "text": "c"}],
        "u9",
    ),  # noqa: E501
    "asr_deep_line": case("asr", A, '{"id": ' + DEEP + "}\n", "nested too deeply"),
    "asr_not_utf8": case("asr", "ref.jsonl", b'{"id": "u1", "text": "\xe9"}\n', "UTF-8"),
    "asr_empty": case("asr", "ref.jsonl", b"\n\n", "empty"),
    "asr_fifo": case("asr", "ref.jsonl", "<fifo>", "regular file"),
    "asr_dev_zero": case("asr", A, "<dev/zero>", "regular file"),
    "asr_id_object": case(
        "asr", A, [{"id": {"a": 1}, "text": "a"}, {"id": "u2", "text": "b"}], '"id"'
    ),  # noqa: E501
    # --- summarization -------------------------------------------------------------------------
    "sum_missing_summary": case(
        "summarization", S, [{"id": "d1"}, {"id": "d2", "summary": "x"}], '"summary"'
    ),  # noqa: E501
    "sum_summary_int": case(
        "summarization", S, [{"id": "d1", "summary": 1}, {"id": "d2", "summary": "x"}], '"summary"'
    ),  # noqa: E501
    "sum_references_not_list": case(
        "summarization",
        "ref.jsonl",
        [{"id": "d1", "references": "x"}, {"id": "d2", "summary": "y"}],
        '"references" list',
    ),  # noqa: E501
    "sum_duplicate": case(
        "summarization",
        S,
        [{"id": "d1", "summary": "a"}, {"id": "d1", "summary": "b"}, {"id": "d2", "summary": "c"}],
        "duplicate",
    ),  # noqa: E501
    "sum_bad_line": case("summarization", S, b'{"id": "d1", "summary": "a"}\nnot json\n', "line 2"),  # noqa: E501
    "sum_deep": case("summarization", S, '{"id": ' + DEEP + "}\n", "nested too deeply"),
    "sum_empty": case("summarization", S, b"", "empty"),
    "sum_id_mismatch": case(
        "summarization", S, [{"id": "x1", "summary": "a"}, {"id": "x2", "summary": "b"}], "x1"
    ),  # noqa: E501
    "sum_directory": case("summarization", "ref.jsonl", "<dir>", "directory"),
    # --- --log names ---------------------------------------------------------------------------
    "log_traversal": log_name("../../x", "'..'"),
    "log_absolute": log_name("/tmp/x", "absolute"),
    "log_newline": log_name("a\nb", "'\\n'"),
    "log_hidden": log_name(".hidden", "starts with '.'"),
    "log_long": log_name("x" * 300, "300 characters"),
    "log_markup": log_name("a|b", "'|'"),
}


def eval_cases() -> list[Case]:
    return [Case(name, build) for name, build in CASES.items()]
