"""Reading prediction and reference files strictly: every problem names the file and the ids.

A problem raises :class:`~mmbench.errors.MmbenchError` with lines of the form
``<file>: <what is wrong> (first ids: a, b, c); <what to do>``, at most 5 ids shown.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any

from mmbench.errors import MmbenchError
from mmbench.json_input import loads, read_input_text

MAX_IDS_SHOWN = 5


ID = (int, str)  # the JSON types an example id may have


def show_ids(ids: Iterable[Any]) -> str:
    """``"a, b, c"`` for at most 5 ids, with ``…`` when there are more."""
    ids = list(ids)
    shown = ", ".join(repr(i) if isinstance(i, str) else str(i) for i in ids[:MAX_IDS_SHOWN])
    return shown + (", …" if len(ids) > MAX_IDS_SHOWN else "")


def read_text(path: str | Path) -> str:
    """The file's UTF-8 text; errors for a missing, unreadable, empty, huge or non-UTF-8 file."""
    path = Path(path)
    if not path.exists():
        raise MmbenchError(f"{path}: file not found")
    text = read_input_text(path)
    if not text.strip():
        raise MmbenchError(f"{path}: file is empty")
    return text


def read_json(path: str | Path) -> Any:
    """One JSON document."""
    text = read_text(path)
    try:
        return loads(text, str(path))
    except json.JSONDecodeError as exc:
        raise MmbenchError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def jsonl_lines(path: str | Path) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, str]]]:
    """The one JSON Lines parser: ``(line number, object)`` per non-blank line, and
    ``(line number, problem)`` per line that is not one JSON object (callers word the error).

    Lines end at a line feed only (CRLF too): a JSON string may hold a raw U+2028, U+2029 or NEL,
    which ``str.splitlines`` would wrongly split on.
    """
    records, bad = [], []
    for lineno, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = loads(line, f"{path}: line {lineno}")
        except json.JSONDecodeError as exc:
            bad.append((lineno, f"not valid JSON ({exc.msg})"))
            continue
        if not isinstance(record, dict):
            bad.append((lineno, f"expected a JSON object, found {_json_type(record)}"))
            continue
        records.append((lineno, record))
    return records, bad


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """One JSON object per non-blank line; bad lines are all reported (first 5)."""
    records, bad = jsonl_lines(path)
    if bad:
        shown = [f"line {n}: {why}" for n, why in bad[:MAX_IDS_SHOWN]]
        more = f" (and {len(bad) - MAX_IDS_SHOWN} more)" if len(bad) > MAX_IDS_SHOWN else ""
        raise MmbenchError(
            f"{path}: unparsable JSON lines: {'; '.join(shown)}{more}; "
            "each line must be one JSON object"
        )
    return [record for _, record in records]


def read_kaldi(path: str | Path) -> list[dict[str, Any]]:
    """Kaldi-style ``utt_id text`` lines (text may be empty) as ``{"id", "text"}`` records."""
    records = []
    for line in read_text(path).splitlines():
        if not line.strip():
            continue
        parts = line.strip().split(maxsplit=1)
        records.append({"id": parts[0], "text": parts[1] if len(parts) > 1 else ""})
    return records


def expect_list(data: Any, path: str | Path, what: str) -> list[Any]:
    if not isinstance(data, list):
        raise MmbenchError(
            f"{path}: expected a JSON list of {what}, found a JSON {_json_type(data)}"
        )
    if not data:
        raise MmbenchError(f"{path}: the list of {what} is empty")
    return data


def expect_key_list(data: Any, key: str, path: str | Path, what: str) -> list[Any]:
    """``data[key]`` of a top-level object, which must be a list."""
    if not isinstance(data, dict) or key not in data:
        found = (
            f"an object with keys {sorted(data)[:8]}"
            if isinstance(data, dict)
            else (f"a JSON {_json_type(data)}")
        )
        raise MmbenchError(
            f'{path}: expected an object with a "{key}" list of {what}, found {found}'
        )
    return expect_list(data[key], path, what)


def field_errors(
    records: Sequence[Any], path: str | Path, fields: dict[str, type | tuple[type, ...]]
) -> None:
    """Each record must be an object with the given fields of the given types."""
    problems: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            problems.setdefault("not a JSON object", []).append(i)
            continue
        for name, types in fields.items():
            if name not in record:
                problems.setdefault(f'missing "{name}"', []).append(i)
            elif not isinstance(record[name], types) or isinstance(record[name], bool):
                problems.setdefault(f'"{name}" has the wrong type', []).append(i)
    if problems:
        raise MmbenchError(
            [
                f"{path}: {what} in {len(idx)} record(s) (first at positions {show_ids(idx)}); "
                f"expected fields {', '.join(fields)}"
                for what, idx in problems.items()
            ]
        )


def index_by_id(records: Sequence[dict[str, Any]], key: str, path: str | Path) -> dict[Any, dict]:
    """``{id: record}`` in file order; an error listing duplicated ids."""
    out: dict[Any, dict] = {}
    dups: list[Any] = []
    for record in records:
        rid = record[key]
        if rid in out and rid not in dups:
            dups.append(rid)
        out[rid] = record
    if dups:
        raise MmbenchError(
            f"{path}: {len(dups)} duplicate {key}(s) (first ids: {show_ids(dups)}); "
            "give each id once"
        )
    return out


def check_same_ids(
    pred_ids: Iterable[Hashable],
    ref_ids: Iterable[Hashable],
    pred_path: str | Path,
    ref_path: str | Path,
    key: str = "id",
    allow_missing: bool = False,
) -> None:
    """Predictions must cover exactly the reference ids (no missing, no extra)."""
    preds, refs = list(pred_ids), list(ref_ids)
    pred_set, ref_set = set(preds), set(refs)
    missing = [i for i in refs if i not in pred_set]
    extra = [i for i in preds if i not in ref_set]
    problems = []
    if missing and not allow_missing:
        problems.append(
            f"{pred_path}: {len(missing)} {key}(s) of {ref_path} have no prediction "
            f"(first ids: {show_ids(missing)}); predict every reference id"
        )
    if extra:
        problems.append(
            f"{pred_path}: {len(extra)} {key}(s) are not in {ref_path} "
            f"(first ids: {show_ids(extra)}); check that both files are of the same split"
        )
    if problems:
        raise MmbenchError(problems)


def _json_type(data: Any) -> str:
    return {dict: "object", list: "list", str: "string", type(None): "null", bool: "boolean"}.get(
        type(data), "number"
    )
