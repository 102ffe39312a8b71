"""Export to and import from the official VQA v2 JSON layout (questions + annotations files).

Layout (as in ``v2_OpenEnded_mscoco_*_questions.json`` / ``v2_mscoco_*_annotations.json``)::

    questions:   {"info", "license", "data_subtype", "task_type": "Open-Ended",
                  "questions": [{"question_id", "image_id", "question"}]}
    annotations: {"info", "license", "data_subtype",
                  "annotations": [{"question_id", "image_id", "question_type", "answer_type",
                                   "multiple_choice_answer",
                                   "answers": [{"answer", "answer_confidence": "yes",
                                                "answer_id": 1..10}]}]}

Images are not part of the layout; ``read_vqa_json`` returns examples without ``image`` for a
loader to attach.
"""

from __future__ import annotations

import json
from pathlib import Path

from mmbench.errors import MmbenchError
from mmbench.formats import vqa_v2

_INFO = {"description": "exported by mmbench", "version": "2.0"}


def to_vqa_json(examples: list[dict], data_subtype: str = "") -> tuple[dict, dict]:
    """(questions_json, annotations_json) for example dicts (``question_id``, ``answers``, …)."""
    questions, annotations = [], []
    for ex in examples:
        qid, iid = int(ex["question_id"]), int(ex["image_id"])
        questions.append({"question_id": qid, "image_id": iid, "question": ex["question"]})
        annotations.append(
            {
                "question_id": qid,
                "image_id": iid,
                "question_type": ex["question_type"],
                "answer_type": ex["answer_type"],
                "multiple_choice_answer": ex["multiple_choice_answer"],
                "answers": [
                    {"answer": a, "answer_confidence": "yes", "answer_id": k}
                    for k, a in enumerate(ex["answers"], start=1)
                ],
            }
        )
    head = {"info": _INFO, "license": {}, "data_subtype": data_subtype}
    return (
        {**head, "task_type": "Open-Ended", "questions": questions},
        {**head, "annotations": annotations},
    )


def write_vqa_json(examples: list[dict], folder: str | Path, prefix: str = "") -> tuple[Path, Path]:
    """Write ``<prefix>questions.json`` and ``<prefix>annotations.json`` into ``folder``.

    Returns the two paths. The folder is created if needed.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    q_json, a_json = to_vqa_json(examples, data_subtype=prefix.rstrip("_"))
    q_path, a_path = folder / f"{prefix}questions.json", folder / f"{prefix}annotations.json"
    q_path.write_text(json.dumps(q_json), encoding="utf-8")
    a_path.write_text(json.dumps(a_json), encoding="utf-8")
    return q_path, a_path


def read_vqa_json(questions_path: str | Path, annotations_path: str | Path) -> list[dict]:
    """Examples (without ``image``) from a VQA v2 questions file and its annotations file, read
    by the one VQA v2 reader (:mod:`mmbench.formats.vqa_v2`).

    Each example holds ``question_id``, ``image_id``, ``question``, ``answers`` (strings in
    ``answer_id`` order), ``answer_type``, ``question_type``, ``multiple_choice_answer``, in the
    order of the questions file. Every question must have an annotation.
    """
    questions = vqa_v2.read_questions(questions_path, image_ids=True)
    by_id = vqa_v2.read_annotations(annotations_path)
    examples = []
    for qid, q in questions.items():
        ann = by_id.get(qid)
        if ann is None:
            raise MmbenchError(
                f"{annotations_path}: no annotation for question_id {qid} of {questions_path}"
            )
        examples.append(
            {
                "question_id": qid,
                "image_id": q["image_id"],
                "question": q["question"],
                "answers": vqa_v2.answers(ann),
                "answer_type": vqa_v2.answer_type(ann),
                "question_type": vqa_v2.question_type(ann),
                "multiple_choice_answer": ann.get("multiple_choice_answer", ""),
            }
        )
    return examples
