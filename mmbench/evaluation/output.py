"""Rendering an :class:`EvalReport`: a plain-text table, and per-example files (csv or jsonl)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from mmbench.errors import MmbenchError
from mmbench.evaluation.evaluate import LEVEL, EvalReport
from mmbench.files import atomic_path


def _fmt(value: float) -> str:
    return "nan" if math.isnan(value) else f"{value:.4f}".rstrip("0").rstrip(".")


def format_table(report: EvalReport) -> str:
    """Aligned text: one row per score (with its CI), breakdowns, then the fingerprints."""
    header = ["metric", "score"] + ([f"{int(LEVEL * 100)}% CI"] if report.ci else [])
    rows = [header]
    for key, value in report.scores.items():
        row = [key, _fmt(value)]
        if report.ci:
            lo_hi = report.ci.get(key)
            row.append(f"[{_fmt(lo_hi[0])}, {_fmt(lo_hi[1])}]" if lo_hi else "")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [f"{report.task}: {report.n} examples"]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    for name, groups in report.breakdown.items():
        if name == "question_type" and len(groups) > 12:
            lines.append(f"{name}: {len(groups)} groups (see --json)")
            continue
        lines.append(f"{name}: " + ", ".join(f"{g or '?'} {_fmt(v)}" for g, v in groups.items()))
    lines += [f"fingerprint: {fp.as_tag()}" for fp in report.fingerprints]
    return "\n".join(lines)


def per_example_rows(report: EvalReport) -> list[dict[str, Any]]:
    """One dict per example: id, prediction, reference(s), extra columns, metric values."""
    pairs = report.pairs
    values = {k: v.tolist() for k, v in report.per_example.items()}
    rows = []
    for i, ex_id in enumerate(pairs.ids):
        row: dict[str, Any] = {
            "id": ex_id,
            "prediction": pairs.predictions[i],
            "reference": pairs.references[i],
        }
        row.update({k: col[i] for k, col in pairs.extra.items()})
        row.update({k: col[i] for k, col in values.items()})
        rows.append(row)
    return rows


def write_per_example(report: EvalReport, path: str | Path) -> Path:
    """Write per-example scores to ``path``: ``.csv`` or ``.jsonl`` (lists JSON-encoded in csv)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise MmbenchError(
            f"{path}: per-example file must end in .csv or .jsonl, found '{suffix or 'none'}'"
        )
    rows = per_example_rows(report)
    try:
        with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
            if suffix == ".jsonl":
                for row in rows:
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                fields = list(rows[0]) if rows else ["id"]
                writer = csv.DictWriter(f, fieldnames=fields)
                writer.writeheader()
                for row in rows:
                    writer.writerow(
                        {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                         for k, v in row.items()}
                    )  # fmt: skip
    except OSError as exc:
        raise MmbenchError(f"{path}: cannot write per-example file ({exc.strerror})") from None
    return path
