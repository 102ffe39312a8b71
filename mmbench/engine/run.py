"""One experiment run: data → model → training → test evaluation → MLflow.

Everything is logged to one MLflow run: flattened spec params, per-epoch curves, final test
metrics with their fingerprints, and artifacts (resolved spec, predictions, per-example
scores with each example's cluster id in a ``group`` column where the task has one,
checkpoint). The library prints nothing; pass a ``Progress`` to see progress.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import torch

import mmbench
from mmbench.build import build_dataset, build_model, build_task
from mmbench.engine import distributed
from mmbench.engine.corrupt import corrupted_eval
from mmbench.engine.costs import flops_per_example, peak_memory_mb
from mmbench.engine.feature_cache import attach as attach_feature_cache
from mmbench.engine.loop import fit, iterate_batches, predict_split
from mmbench.engine.progress import Progress
from mmbench.engine.results_log import log_results
from mmbench.engine.seeding import pick_device, seed_everything
from mmbench.model import count_parameters
from mmbench.registry import TASKS
from mmbench.spec import spec_hash, to_yaml
from mmbench.spec.schema import ExperimentSpec, corrupted_metric, missing_metric
from mmbench.tracking import schema
from mmbench.tracking.environment import git_commit
from mmbench.tracking.run_logger import RunLogger, flatten

log = logging.getLogger(__name__)


@dataclass
class RunOutcome:
    run_id: str | None
    test: dict[str, float]
    val_best: float
    best_epoch: int
    history: list[dict[str, float]] = field(default_factory=list)


def group_hash(spec: ExperimentSpec) -> str:
    """Identity of a configuration across seeds (for mean ± std in reports)."""
    return spec_hash(spec.model_copy(update={"train": spec.train.model_copy(update={"seed": 0})}))


def run_tags(spec: ExperimentSpec, label: str) -> dict[str, str]:
    return {
        schema.KIND: schema.KIND_TRAIN,
        schema.VERSION: mmbench.__version__,
        schema.SPEC_HASH: spec_hash(spec),
        schema.GROUP: group_hash(spec),
        schema.LABEL: label,
        schema.TASK: spec.task,
        schema.TASK_VERSION: str(TASKS.get(spec.task).version),
        schema.PRIMARY_METRIC: TASKS.get(spec.task).primary_metric,
        schema.SEED: str(spec.train.seed),
        schema.GIT_COMMIT: git_commit(),
        schema.SOURCE: "trained",
    }


def evaluate_corruptions(spec, model, task, device, metrics, clean) -> dict[tuple, dict]:
    """``(input, corruption, level)`` → the task's metric results on the corrupted split.

    An input the model does not encode cannot change its predictions: its results are the
    clean ones at every level (a unimodal baseline's flat curve), without recomputation.
    """
    split, out = spec.eval.split, {}
    for inp, specs in spec.eval.corruptions.items():
        for c in specs:
            for level in c.levels:
                if inp not in model.encoders:
                    out[(inp, c.name, level)] = clean
                    continue
                data, per_batch = corrupted_eval(
                    task, split, inp, c, level, spec.eval.corruption_seed
                )
                preds, _ = predict_split(
                    model, task, split, spec.eval.batch_size, device, data=data, transform=per_batch
                )
                out[(inp, c.name, level)] = task.evaluate(preds, split, metrics)
    return out


def execute(
    spec: ExperimentSpec, logger: RunLogger | None = None, progress: Progress | None = None
) -> RunOutcome:
    """Train and evaluate ``spec``; log to ``logger`` if given (the caller ends the run)."""
    if logger is not None:
        logger.log_params(flatten(spec.model_dump(mode="json", exclude={"description"})))
        logger.log_text(to_yaml(spec), "spec.yaml")
    if distributed.world_size() > 1 and distributed.rank() == 0:  # torchrun: the others follow
        distributed.broadcast(spec.model_dump(mode="json"))
    gen = seed_everything(spec.train.seed)
    device = distributed.device_for(pick_device(spec.train.device))
    splits = build_dataset(spec)
    task = build_task(spec)
    task.prepare(splits)
    seed_everything(spec.train.seed)  # model init independent of data generation
    model = build_model(spec, task).to(device)
    cached = attach_feature_cache(task, spec, model, device)  # frozen encoders: features once
    distributed.reseed(spec.train.seed)  # under torchrun: each rank its own dropout masks
    total, trainable = count_parameters(model)
    metrics = list(spec.eval.metrics) or list(task.default_metrics)

    result = fit(
        model, task, spec.train, device, gen, sink=logger, progress=progress, eval_metrics=metrics
    )
    if result.best_state is not None:
        model.load_state_dict(result.best_state)

    split = spec.eval.split
    t0 = time.perf_counter()
    preds, test_loss = predict_split(model, task, split, spec.eval.batch_size, device)
    latency_ms = 1000 * (time.perf_counter() - t0) / max(len(preds), 1)
    results = task.evaluate(preds, split, metrics)
    test = {f"{split}/{k}": v for res in results.values() for k, v in res.scores.items()}
    test[f"{split}/loss"] = test_loss
    missing = {}  # missing-modality robustness: the same model, one input out
    for name in spec.eval.missing:
        preds_m, _ = predict_split(
            model, task, split, spec.eval.batch_size, device, drop=frozenset({name})
        )
        missing[name] = task.evaluate(preds_m, split, metrics)
        for res in missing[name].values():
            test.update({missing_metric(f"{split}/{k}", name): v for k, v in res.scores.items()})
    corrupted = evaluate_corruptions(spec, model, task, device, metrics, results)
    for (inp, name, level), res_c in corrupted.items():
        for res in res_c.values():
            test.update(
                {
                    corrupted_metric(f"{split}/{k}", inp, name, level): v
                    for k, v in res.scores.items()
                }
            )

    model.eval()
    batch = next(iterate_batches(task.tensors(split), 8, device=device))
    costs = {
        "cost/params_total": float(total),
        "cost/params_trainable": float(trainable),
        "cost/flops_per_example": flops_per_example(lambda: task.forward(model, batch), 8),
        "cost/train_seconds": result.train_seconds,
        "cost/peak_memory_mb": peak_memory_mb(device),
        "cost/latency_ms_per_example": latency_ms,
        "best_epoch": float(result.best_epoch),
        "epochs_trained": float(len(result.history)),
        **{f"cost/feature_cache_hit_{name}": float(hit) for name, hit in cached.items()},
    }
    if logger is not None:
        logger.log_metrics({**test, **costs}, step=result.steps)
        logger.flush()
        if result.skipped_batches:
            logger.set_tags({schema.SKIPPED_BATCHES: str(result.skipped_batches)})
        logger.set_tags(
            {
                schema.STOPPED: result.stopped,
                schema.STILL_IMPROVING: "1" if result.still_improving else "0",
            }
        )
        log_results(logger, task, preds, results, split, corrupted, missing)
        ckpt = {
            "model": model.state_dict(),
            "task_state": task.state(),
            "spec": spec.model_dump(mode="json"),
            "mmbench_version": mmbench.__version__,
        }
        logger.log_bytes_file(lambda p: torch.save(ckpt, p), "model.pt", "checkpoint")
    return RunOutcome(
        run_id=logger.run_id if logger else None,
        test=test,
        val_best=result.best_score,
        best_epoch=result.best_epoch,
        history=result.history,
    )
