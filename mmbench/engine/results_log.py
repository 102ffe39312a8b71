"""The evaluation artifacts of a run, assembled in one place: what a report reads back.

Training runs (:func:`mmbench.engine.run.execute`) and evaluations of a trained run on another
dataset (:mod:`mmbench.evaluation.transfer`) log the same files under the same names, so the
leaderboard, the statistics and the breakdown read both alike:

- ``predictions/<split>.jsonl``: the task's prediction records;
- ``scores/<split>_per_example.csv``: one row per example, every per-example score column, the
  example ``id`` and, where the task has one, its cluster id in ``group``;
- ``scores/<split>_breakdown.json``: per-group scores of metrics that have them;
- the per-example scores of each corrupted copy of the split (``eval.corruptions``) and of
  each evaluation with one input left out (``eval.missing``);
- the metric fingerprints as ``mmbench.metric.<name>`` tags.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from mmbench.metrics.base import MetricResult
from mmbench.spec.schema import corrupted_scores_artifact, missing_scores_artifact
from mmbench.tasks.base import Task
from mmbench.tracking import schema
from mmbench.tracking.run_logger import RunLogger


def _write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["index"])
        writer.writeheader()
        writer.writerows(rows)


def per_example_rows(results: dict, ids: list, groups: list = ()) -> list[dict]:
    """One row per test example: ``index``, every per-example score column, ``id`` and, when
    the task has them, ``group`` (cluster id: image, speaker, document) for the report."""
    rows: list[dict] = [{"index": i} for i in range(len(ids))]
    for res in results.values():
        for key, values in res.per_example.items():
            for row, v in zip(rows, values):
                row[key] = float(v)
    for row, i in zip(rows, ids):
        row["id"] = i
    for row, group in zip(rows, groups):
        row["group"] = group
    return rows


def fingerprint_tags(results: dict[str, MetricResult]) -> dict[str, str]:
    return {f"{schema.METRIC_FINGERPRINT}{n}": r.fingerprint.as_tag() for n, r in results.items()}


def log_results(
    logger: RunLogger,
    task: Task,
    predictions: list,
    results: dict[str, MetricResult],
    split: str,
    corrupted: dict[tuple, dict[str, MetricResult]] | None = None,
    missing: dict[str, dict[str, MetricResult]] | None = None,
) -> None:
    """Log the fingerprints and every evaluation artifact of ``split`` (see the module)."""
    logger.set_tags(fingerprint_tags(results))
    records = task.prediction_records(predictions, split)
    logger.log_text(
        "\n".join(json.dumps(r, default=str) for r in records) + "\n",
        f"predictions/{split}.jsonl",
    )
    ids = task.example_ids(split)
    groups = task.groups(split) or []
    rows = per_example_rows(results, ids, groups)
    logger.log_bytes_file(lambda p: _write_csv(rows, p), f"{split}_per_example.csv", "scores")
    for (inp, name, level), res_c in (corrupted or {}).items():
        folder, file = corrupted_scores_artifact(split, inp, name, level).rsplit("/", 1)
        rows_c = per_example_rows(res_c, ids, groups)
        logger.log_bytes_file(lambda p, r=rows_c: _write_csv(r, p), file, folder)
    for inp, res_m in (missing or {}).items():
        folder, file = missing_scores_artifact(split, inp).rsplit("/", 1)
        rows_m = per_example_rows(res_m, ids, groups)
        logger.log_bytes_file(lambda p, r=rows_m: _write_csv(r, p), file, folder)
    breakdown = {name: res.breakdown for name, res in results.items() if res.breakdown}
    if breakdown:
        logger.log_json(breakdown, f"scores/{split}_breakdown.json")
