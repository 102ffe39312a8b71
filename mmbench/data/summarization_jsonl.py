"""``summarization_jsonl``: summarization data in JSON Lines, one file per split.

Each line is an object with a document (a string, or a list of sentence strings), its
reference summaries (a string, or a list of reference strings) and optionally an image path
(relative to the file's folder). Field names are kwargs, so SciTLDR (``source``/``target``)
loads as is::

    dataset: {name: summarization_jsonl,
              kwargs: {root: ../shared/data/scitldr-a, val: dev.jsonl,
                       document_key: source, summary_key: target}}

Every problem of a file (bad JSON, missing or mistyped field, empty references) is reported
with the file and line number.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mmbench.data.base import SPLITS, Splits
from mmbench.data.image_files import load_image
from mmbench.data.shared_data import dataset_root
from mmbench.errors import MmbenchError
from mmbench.formats.readers import jsonl_lines
from mmbench.kwarg_checks import ranges
from mmbench.registry import DATASETS

log = logging.getLogger(__name__)

MAX_PROBLEMS = 10


def _texts(value, what: str) -> tuple[list[str] | None, str]:
    """A string or a non-empty list of strings → list; else (None, problem)."""
    if isinstance(value, str):
        return ([value], "") if value.strip() else (None, f"'{what}' is an empty string")
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        if not any(v.strip() for v in value):
            return None, f"'{what}' holds only empty strings"
        return [v for v in value if v.strip()], ""
    return None, f"'{what}' must be a string or a non-empty list of strings, got {value!r:.60}"


def read_summaries(
    path: Path,
    *,
    document_key: str = "document",
    summary_key: str = "summary",
    image_key: str = "image",
    id_key: str = "id",
    image_size: int = 64,
    limit: int | None = None,
) -> list[dict]:
    """Examples ``{id, document, sentences, summaries[, image]}`` of one jsonl file."""
    if not path.exists():
        raise MmbenchError(f"{path}: file not found")
    rows, bad = jsonl_lines(path)
    examples = []
    problems = [f"{path}:{number}: {why}" for number, why in bad]
    for number, row in rows:
        if limit is not None and len(examples) >= limit:
            break
        where = f"{path}:{number}"
        missing = [k for k in (document_key, summary_key) if k not in row]
        if missing:
            problems.append(
                f"{where}: missing field(s) {', '.join(repr(m) for m in missing)} "
                f"(fields: {', '.join(sorted(row))}; set document_key/summary_key)"
            )
            continue
        sentences, bad_doc = _texts(row[document_key], document_key)
        refs, bad_refs = _texts(row[summary_key], summary_key)
        if bad_doc or bad_refs:
            problems += [f"{where}: {p}" for p in (bad_doc, bad_refs) if p]
            continue
        ex = {
            "id": row.get(id_key, row.get("paper_id", number)),
            "document": " ".join(s.strip() for s in sentences),
            "sentences": sentences,
            "summaries": refs,
        }
        if row.get(image_key) is not None:
            image_path = (path.parent / str(row[image_key])).resolve()
            ex["image"] = load_image(image_path, image_size, where)
        examples.append(ex)
    if problems:
        more = len(problems) - MAX_PROBLEMS
        shown = problems[:MAX_PROBLEMS] + ([f"{path}: … and {more} more"] if more > 0 else [])
        raise MmbenchError(shown)
    if not examples:
        raise MmbenchError(f"{path}: no examples")
    return examples


@DATASETS.register("summarization_jsonl")
@ranges(image_size=(8, 1024), limit=(1, 10**9))
def summarization_jsonl(
    *,
    task: str,
    root: str | None = None,
    train: str = "train.jsonl",
    val: str = "dev.jsonl",
    test: str = "test.jsonl",
    document_key: str = "document",
    summary_key: str = "summary",
    image_key: str = "image",
    id_key: str = "id",
    image_size: int = 64,
    limit: int | None = None,
) -> Splits:
    """Summarization data from three jsonl files in ``root`` (default: shared ``scitldr-a``).

    Args: ``train``/``val``/``test`` file names in ``root``; ``document_key``/``summary_key``/
    ``image_key``/``id_key`` the field names; ``image_size`` side images are resized to;
    ``limit`` at most this many examples per split (quick runs).
    """
    if task != "summarization":
        raise MmbenchError(f"dataset 'summarization_jsonl' serves 'summarization', not {task!r}")
    folder = dataset_root(root, "scitldr-a")
    if not folder.is_dir():
        raise MmbenchError(f"dataset.kwargs.root: folder {folder} does not exist")
    options = {
        "document_key": document_key,
        "summary_key": summary_key,
        "image_key": image_key,
        "id_key": id_key,
        "image_size": image_size,
        "limit": limit,
    }
    parts = [read_summaries(folder / name, **options) for name in (train, val, test)]
    log.info("summarization_jsonl: %s", {s: len(p) for s, p in zip(SPLITS, parts)})
    meta = {"name": "summarization_jsonl", "root": str(folder), "task": "summarization"}
    return Splits(train=parts[0], val=parts[1], test=parts[2], meta=meta)


summarization_jsonl.tasks = ("summarization",)
