"""Loaders for the official file formats, each returning aligned ids, predictions and references.

- VQA v2: questions ``{"questions": [{question_id, image_id, question}]}``, annotations
  ``{"annotations": [{question_id, question_type, answer_type, answers: [{answer, …}]}]}``,
  results ``[{question_id, answer}]`` (must cover exactly the annotated questions, as
  ``VQA.loadRes`` asserts).
- COCO captions: annotations ``{"images": […], "annotations": [{image_id, caption, id}]}``,
  results ``[{image_id, caption}]`` (one caption per image).
- ASR: jsonl ``{"id", "text"}`` or Kaldi-style ``utt_id text`` lines (chosen per file: a file
  whose first non-blank line starts with ``{`` is jsonl).
- Summarization: jsonl predictions ``{"id", "summary"}``; references ``{"id", "summary": str}``
  or ``{"id", "references": [str, …]}``.

The order of the examples is the order of the reference file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mmbench.errors import MmbenchError
from mmbench.formats import coco_captions, vqa_v2
from mmbench.formats.readers import (
    ID,
    check_same_ids,
    expect_list,
    field_errors,
    index_by_id,
    read_json,
    read_jsonl,
    read_kaldi,
    read_text,
    show_ids,
)


@dataclass
class Pairs:
    """N aligned examples; ``extra`` holds further aligned columns (answer types …)."""

    ids: list[Any]
    predictions: list[str]
    references: list[Any]  # str or list[str] per example
    extra: dict[str, list[Any]] = field(default_factory=dict)


def load_vqa(
    results: str | Path, annotations: str | Path, questions: str | Path | None = None
) -> Pairs:
    by_qid = vqa_v2.read_annotations(annotations)
    if questions is not None:
        q_ids = vqa_v2.read_questions(questions)
        check_same_ids(q_ids, by_qid, questions, annotations, key="question_id")
    res = expect_list(read_json(results), results, '{"question_id", "answer"} objects')
    field_errors(res, results, {"question_id": ID, "answer": str})
    res_by_qid = index_by_id(res, "question_id", results)
    check_same_ids(res_by_qid, by_qid, results, annotations, key="question_id")
    ids = list(by_qid)
    return Pairs(
        ids=ids,
        predictions=[res_by_qid[q]["answer"] for q in ids],
        references=[vqa_v2.answers(by_qid[q]) for q in ids],
        extra={
            "answer_type": [vqa_v2.answer_type(by_qid[q]) for q in ids],
            "question_type": [vqa_v2.question_type(by_qid[q]) for q in ids],
        },
    )


def load_coco_captions(
    results: str | Path, references: str | Path, allow_subset: bool = False
) -> Pairs:
    refs = coco_captions.captions_by_image(read_json(references), references)
    res = expect_list(read_json(results), results, '{"image_id", "caption"} objects')
    field_errors(res, results, {"image_id": ID, "caption": str})
    by_image = index_by_id(res, "image_id", results)
    check_same_ids(by_image, refs, results, references, "image_id", allow_missing=allow_subset)
    ids = [i for i in refs if i in by_image]
    return Pairs(ids, [by_image[i]["caption"] for i in ids], [refs[i] for i in ids])


def _read_records(path: str | Path) -> list[dict[str, Any]]:
    first = next(line for line in read_text(path).splitlines() if line.strip())
    return read_jsonl(path) if first.lstrip().startswith("{") else read_kaldi(path)


def _keyed_texts(
    path: str | Path, records: list[dict[str, Any]], fields: dict[str, Any]
) -> dict[str, dict]:
    field_errors(records, path, fields)
    for r in records:
        r["id"] = str(r["id"])  # "7" and 7 name the same utterance
    return index_by_id(records, "id", path)


def load_asr(predictions: str | Path, references: str | Path) -> Pairs:
    spec = {"id": ID, "text": str}
    refs = _keyed_texts(references, _read_records(references), spec)
    preds = _keyed_texts(predictions, _read_records(predictions), spec)
    check_same_ids(preds, refs, predictions, references)
    ids = list(refs)
    return Pairs(ids, [preds[i]["text"] for i in ids], [refs[i]["text"] for i in ids])


def load_summarization(predictions: str | Path, references: str | Path) -> Pairs:
    preds = _keyed_texts(predictions, read_jsonl(predictions), {"id": ID, "summary": str})
    records = read_jsonl(references)
    field_errors(records, references, {"id": ID})
    bad = [
        r["id"]
        for r in records
        if not (
            isinstance(r.get("summary"), str)
            or (
                isinstance(r.get("references"), list)
                and r["references"]
                and all(isinstance(x, str) for x in r["references"])
            )
        )
    ]
    if bad:
        raise MmbenchError(
            f'{references}: {len(bad)} record(s) without a "summary" string or a non-empty '
            f'"references" list of strings (first ids: {show_ids(bad)})'
        )
    refs = _keyed_texts(references, records, {"id": ID})
    check_same_ids(preds, refs, predictions, references)
    ids = list(refs)
    return Pairs(
        ids,
        [preds[i]["summary"] for i in ids],
        [refs[i]["summary"] if isinstance(refs[i].get("summary"), str) else refs[i]["references"]
         for i in ids],
    )  # fmt: skip
