"""Log an external evaluation as one MLflow run (``mmbench eval … --log EXPERIMENT``).

The run carries the tags trained runs carry (names from :mod:`mmbench.tracking.schema`):
``source=external``, ``mmbench.kind=eval``, ``mmbench.task``, one ``mmbench.metric.<metric>``
per metric (``Fingerprint.as_tag()``); params ``input.<role>`` (file paths), ``option.<name>`` and
``n_examples``; metrics ``test/<key>`` (and ``test/<key>_ci_low`` / ``_ci_high`` with ``--ci``,
``test/vqa_acc/<answer type>`` for VQA); artifacts ``per_example.<csv|jsonl>`` and
``evaluation.json`` (the full summary with breakdowns). The store is ``$MLFLOW_TRACKING_URI`` or
``sqlite:///<cwd>/mlflow.db``. Everything is written through
:class:`mmbench.tracking.run_logger.RunLogger`, as for trained runs (batched, files renamed
into place).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mmbench.evaluation.evaluate import EvalReport
from mmbench.evaluation.output import write_per_example
from mmbench.tracking import schema
from mmbench.tracking.run_logger import RunLogger
from mmbench.tracking.store import get_or_create_experiment, init_store, resolve_uri

_UNSAFE = re.compile(r"[^\w\-.]")  # keep group names one path level: "yes/no" → "yes_no"


def _metrics(report: EvalReport) -> dict[str, float]:
    out = {f"test/{k}": v for k, v in report.scores.items()}
    for k, (lo, hi) in report.ci.items():
        out[f"test/{k}_ci_low"], out[f"test/{k}_ci_high"] = lo, hi
    for group, value in report.breakdown.get("answer_type", {}).items():
        out[f"test/vqa_acc/{_UNSAFE.sub('_', group) or 'unknown'}"] = value
    return out


def log_evaluation(
    report: EvalReport,
    experiment: str,
    *,
    per_example_path: str | Path | None = None,
    uri: str | None = None,
    run_name: str | None = None,
) -> str:
    """Create a finished MLflow run for ``report`` in ``experiment``; returns the run id.

    ``per_example_path``: an already written per-example file to attach; otherwise a
    ``per_example.csv`` is written to a temp folder and attached.
    """
    uri = resolve_uri(uri)
    client = init_store(uri)
    exp_id = get_or_create_experiment(client, experiment, uri)
    pred_name = Path(report.inputs.get("predictions", "predictions")).name
    # the same tag names as trained runs (mmbench.tracking.schema), so reports read both alike
    tags = {schema.SOURCE: "external", schema.TASK: report.task, schema.KIND: schema.KIND_EVAL}
    tags.update(
        {f"{schema.METRIC_FINGERPRINT}{fp.metric}": fp.as_tag() for fp in report.fingerprints}
    )
    logger = RunLogger.start(
        client, exp_id, run_name or f"eval-{report.task}-{pred_name}", tags=tags
    )
    try:
        params = {f"input.{k}": v for k, v in report.inputs.items()}
        params.update({f"option.{k}": str(v) for k, v in report.options.items()})
        params["n_examples"] = str(report.n)
        logger.log_params(params)
        logger.log_metrics(_metrics(report))
        logger.set_tags({"mlflow.note.content": f"external {report.task} evaluation"})
        logger.log_text(json.dumps(report.to_dict(), indent=1), "evaluation.json")
        if per_example_path is not None:
            logger.log_file(per_example_path)
        else:
            logger.log_bytes_file(lambda path: write_per_example(report, path), "per_example.csv")
    except Exception:
        logger.end("FAILED")
        raise
    logger.end("FINISHED")
    run_id = logger.run_id
    return run_id
