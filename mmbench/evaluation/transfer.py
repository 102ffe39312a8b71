"""Evaluate a trained run on another dataset: cross-corpus tests without retraining.

``evaluate_run(run_id, dataset="fsdd")`` reads the run's checkpoint (``checkpoint/model.pt``:
weights, the task's fitted state and the resolved spec), swaps the spec's ``dataset`` block for
the new one (``overrides`` may then change ``dataset.*`` and ``eval.*`` keys only: the model is
the trained one), prepares the task on the new data, restores the trained vocabularies and
statistics (:meth:`mmbench.tasks.base.Task.restore`), and scores the model on ``eval.split``
with the task's metrics.

With ``experiment``, the evaluation is logged as one MLflow run carrying the trained run's
label, group and seed (so a leaderboard of several evaluated runs groups them by configuration
as the training leaderboard did), ``mmbench.kind=eval``, ``mmbench.evaluated_run`` = the source
run id, and the same artifacts as a training run (:mod:`mmbench.engine.results_log`); its spec
hash is that of the evaluated spec, so evaluating the same run on the same data again replaces
the earlier evaluation in reports instead of counting twice.
"""

from __future__ import annotations

import copy
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from mlflow.exceptions import MlflowException

from mmbench.build import build_dataset, build_model, build_task
from mmbench.engine.loop import predict_split
from mmbench.engine.results_log import log_results
from mmbench.engine.seeding import pick_device, seed_everything
from mmbench.errors import MmbenchError, short_repr
from mmbench.reporting.artifacts import download, no_progress_bars
from mmbench.spec import spec_from_dict, spec_hash, to_yaml
from mmbench.spec.loader import parse_override, set_dotted
from mmbench.spec.schema import ExperimentSpec
from mmbench.tracking import schema
from mmbench.tracking.run_logger import RunLogger, flatten
from mmbench.tracking.store import get_or_create_experiment, init_store, resolve_uri

CHECKPOINT = "checkpoint/model.pt"
ALLOWED_PREFIXES = ("dataset.", "eval.")
COPIED_TAGS = (schema.LABEL, schema.GROUP, schema.SEED, schema.TASK, schema.PRIMARY_METRIC)


@dataclass
class TransferOutcome:
    source_run_id: str
    scores: dict[str, float]  # "<split>/<score>"
    n_examples: int
    run_id: str | None  # the logged evaluation run, if logged
    spec: ExperimentSpec


def _source(client, run_id: str):
    try:
        return client.get_run(run_id)
    except MlflowException as exc:
        raise MmbenchError(f"run {short_repr(run_id)}: no such run in the MLflow store") from exc


def load_checkpoint(client, run, uri: str) -> dict[str, Any]:
    """The run's checkpoint dict (``model``, ``task_state``, ``spec``)."""
    with tempfile.TemporaryDirectory() as tmp, no_progress_bars():
        local = download(run.info.artifact_uri, CHECKPOINT, uri, Path(tmp))
        if local is None:
            raise MmbenchError(
                f"run {run.info.run_id}: no {CHECKPOINT} artifact (only runs trained by "
                "mmbench run have one; external evaluations do not)"
            )
        try:
            ckpt = torch.load(local, map_location="cpu", weights_only=True)
        except Exception as exc:  # a truncated or foreign file
            raise MmbenchError(
                f"run {run.info.run_id}: {CHECKPOINT} is not a readable checkpoint ({exc})"
            ) from exc
    if not isinstance(ckpt, dict) or not {"model", "spec"} <= set(ckpt):
        raise MmbenchError(f"run {run.info.run_id}: {CHECKPOINT} lacks the model or its spec")
    return ckpt


def transferred_spec(
    trained: dict[str, Any], dataset: str | None, overrides: list[str] | tuple[str, ...]
) -> ExperimentSpec:
    """The trained spec with its ``dataset`` block replaced and ``overrides`` applied."""
    data = copy.deepcopy(trained)
    if dataset is not None:
        data["dataset"] = {"name": dataset, "kwargs": {}}
    for text in overrides:
        key, value = parse_override(text)
        if not key.startswith(ALLOWED_PREFIXES):
            raise MmbenchError(
                f"--set {key}: only dataset.* and eval.* keys may change when evaluating a "
                "trained run (the model and its training are the run's)"
            )
        set_dotted(data, key, value)
    return spec_from_dict(data, "the evaluated spec")


def evaluate_run(
    run_id: str,
    dataset: str | None = None,
    overrides: list[str] | tuple[str, ...] = (),
    *,
    uri: str | None = None,
    experiment: str | None = None,
    device: str = "auto",
) -> TransferOutcome:
    """Score trained run ``run_id`` on ``dataset`` (see the module docstring)."""
    uri = resolve_uri(uri)
    client = init_store(uri)
    source = _source(client, run_id)
    ckpt = load_checkpoint(client, source, uri)
    spec = transferred_spec(ckpt["spec"], dataset, overrides)
    seed_everything(spec.train.seed)
    task = build_task(spec)
    task.prepare(build_dataset(spec))
    task.restore(ckpt.get("task_state") or {})
    model = build_model(spec, task)
    try:
        model.load_state_dict(ckpt["model"])
    except RuntimeError as exc:
        first = str(exc).splitlines()[0]
        raise MmbenchError(
            f"run {run_id}: its weights do not fit the model built for dataset "
            f"'{spec.dataset.name}' ({first}); the inputs must have the trained shapes"
        ) from exc
    target = pick_device(device)
    model.to(target)
    split = spec.eval.split
    metrics = list(spec.eval.metrics) or list(task.default_metrics)
    preds, loss = predict_split(model, task, split, spec.eval.batch_size, target)
    results = task.evaluate(preds, split, metrics)
    scores = {f"{split}/{k}": v for res in results.values() for k, v in res.scores.items()}
    scores[f"{split}/loss"] = loss
    logged = None
    if experiment is not None:
        logged = _log(client, uri, experiment, source, spec, task, preds, results, scores)
    return TransferOutcome(run_id, scores, len(preds), logged, spec)


def _log(client, uri, experiment, source, spec, task, preds, results, scores) -> str:
    exp_id = get_or_create_experiment(client, experiment, uri)
    tags = {k: v for k, v in source.data.tags.items() if k in COPIED_TAGS}
    tags.update(
        {
            schema.KIND: schema.KIND_EVAL,
            schema.SOURCE: "trained",
            schema.EVALUATED_RUN: source.info.run_id,
            schema.SPEC_HASH: spec_hash(spec),
        }
    )
    name = f"{source.info.run_name or source.info.run_id} on {spec.dataset.name}"
    logger = RunLogger.start(client, exp_id, name, tags)
    try:
        logger.log_params(flatten(spec.model_dump(mode="json", exclude={"description"})))
        logger.log_text(to_yaml(spec), "spec.yaml")
        logger.log_metrics(scores)
        logger.flush()
        log_results(logger, task, preds, results, spec.eval.split)
    except BaseException:
        logger.end("FAILED")
        raise
    logger.end("FINISHED")
    return logger.run_id
