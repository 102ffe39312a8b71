"""The VQA v2 questions and annotations files: the one reader, used by the ``vqa_v2``-layout
dataset loaders (:mod:`mmbench.data.vqa_format`) and by ``mmbench eval vqa``.

Layout (as in ``v2_OpenEnded_mscoco_*_questions.json`` / ``v2_mscoco_*_annotations.json``)::

    questions:   {"questions": [{"question_id", "image_id", "question"}], …}
    annotations: {"annotations": [{"question_id", "image_id", "question_type", "answer_type",
                                   "multiple_choice_answer",
                                   "answers": [{"answer", "answer_confidence", "answer_id"}]}], …}

A missing ``answer_type`` reads as ``"other"`` (VQA's catch-all type) and a missing
``question_type`` as ``""``, wherever the file is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mmbench.errors import MmbenchError
from mmbench.formats.readers import (
    ID,
    expect_key_list,
    field_errors,
    index_by_id,
    read_json,
    show_ids,
)

DEFAULT_ANSWER_TYPE = "other"


def read_annotations(path: str | Path) -> dict[Any, dict]:
    """Annotations by ``question_id`` (file order), each with a non-empty list of
    ``{"answer": str}`` objects; a clear error naming the file otherwise."""
    anns = expect_key_list(read_json(path), "annotations", path, "annotations")
    field_errors(anns, path, {"question_id": ID, "answers": list})
    by_qid = index_by_id(anns, "question_id", path)
    bad = [
        qid
        for qid, a in by_qid.items()
        if not a["answers"]
        or not all(isinstance(x, dict) and isinstance(x.get("answer"), str) for x in a["answers"])
    ]
    if bad:
        raise MmbenchError(
            f"{path}: {len(bad)} annotation(s) without a list of "
            f'{{"answer": str}} objects (first question ids: {show_ids(bad)})'
        )
    return by_qid


def read_questions(path: str | Path, image_ids: bool = False) -> dict[Any, dict]:
    """Questions by ``question_id`` (file order); ``image_ids``: each must have an image id
    and a question string too (what a dataset loader needs)."""
    qs = expect_key_list(read_json(path), "questions", path, "questions")
    fields = {"question_id": ID, **({"image_id": ID, "question": str} if image_ids else {})}
    field_errors(qs, path, fields)
    return index_by_id(qs, "question_id", path)


def answers(annotation: dict) -> list[str]:
    """The annotators' answer strings in ``answer_id`` order."""
    ranked = sorted(annotation["answers"], key=lambda a: _answer_id(a.get("answer_id", 0)))
    return [a["answer"] for a in ranked]


def answer_type(annotation: dict) -> str:
    return str(annotation.get("answer_type", DEFAULT_ANSWER_TYPE))


def question_type(annotation: dict) -> str:
    return str(annotation.get("question_type", ""))


def _answer_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
