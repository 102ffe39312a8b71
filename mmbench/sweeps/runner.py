"""Run every point of a plan as MLflow child runs under one parent run.

Idempotent and resumable: a point whose configuration (spec hash) already has a FINISHED run
in the experiment is skipped, so re-running a sweep after an interruption runs only what is
missing. A failing point is recorded (run status FAILED, ``error.txt`` artifact) and the sweep
goes on; nothing already computed is lost. With ``workers > 1`` points run in parallel local
processes (the parent initialises the store first, avoiding MLflow's schema-migration race).
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from mlflow.tracking import MlflowClient

from mmbench.engine.progress import Progress
from mmbench.engine.run import RunOutcome, execute, run_tags
from mmbench.errors import MmbenchError
from mmbench.spec import Plan, spec_hash
from mmbench.spec.schema import ExperimentSpec
from mmbench.tracking.run_logger import RunLogger
from mmbench.tracking.store import get_or_create_experiment, init_store, resolve_uri

log = logging.getLogger(__name__)


@dataclass
class SweepOutcome:
    experiment: str
    experiment_id: str
    tracking_uri: str
    parent_run_id: str | None
    outcomes: list[RunOutcome] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (label, error)
    skipped: int = 0


@dataclass
class PointJob:
    """Everything one sweep point needs, picklable for worker processes."""

    spec: dict
    label: str
    tags: dict[str, str]
    uri: str
    experiment_id: str
    parent_run_id: str | None
    threads: int = 0  # torch intra-op threads in a worker (0: leave as is)


def point_label(plan: Plan, i: int) -> str:
    point = plan.points[i] if i < len(plan.points) else {}
    shown = {k: v for k, v in point.items() if k != "train.seed"}
    if not shown:
        return plan.specs[i].name
    parts = []
    for key, value in shown.items():
        short = key.split(".")[-2] if key.endswith(".name") else key.split(".")[-1]
        parts.append(f"{short}={_short_value(value)}")
    return ", ".join(parts)


def _short_value(value) -> str:
    """A swept component shows as its name; a left-out input as ``none``."""
    if value is None:
        return "none"
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    return str(value)


def finished_hashes(client: MlflowClient, experiment_id: str) -> set[str]:
    runs = client.search_runs([experiment_id], "attributes.status = 'FINISHED'", max_results=50000)
    return {r.data.tags.get("mmbench.spec_hash", "") for r in runs}


def run_point(job: PointJob, progress: Progress | None = None) -> tuple[RunOutcome | None, str]:
    """Run one point as an MLflow run; return (outcome, "") or (None, error line)."""
    if job.threads:
        import torch

        torch.set_num_threads(job.threads)
    spec = ExperimentSpec.model_validate(job.spec)
    client = MlflowClient(job.uri)
    name = f"{job.label} seed={spec.train.seed}"
    logger = RunLogger.start(
        client, job.experiment_id, name, tags=job.tags, parent_run_id=job.parent_run_id
    )
    try:
        outcome = execute(spec, logger, progress)
    except KeyboardInterrupt:
        logger.end("KILLED")
        raise
    except Exception as exc:  # recorded in the run; the sweep goes on
        text = str(exc) if isinstance(exc, MmbenchError) else traceback.format_exc()
        logger.log_text(text, "error.txt")
        logger.end("FAILED")
        return None, (str(exc).splitlines() or [repr(exc)])[0]
    logger.end("FINISHED")
    return outcome, ""


def _jobs(plan: Plan, done: set[str], uri: str, exp_id: str, parent: str | None, threads: int):
    for i, spec in enumerate(plan.specs):
        label = point_label(plan, i)
        display = f"{label} seed={spec.train.seed}"
        if spec_hash(spec) in done:
            yield display, None
            continue
        tags = run_tags(spec, label)
        if i < len(plan.points) and plan.points[i]:
            tags["mmbench.sweep_point"] = str(plan.points[i])
        yield (
            display,
            PointJob(spec.model_dump(mode="json"), label, tags, uri, exp_id, parent, threads),
        )


def run_plan(
    plan: Plan,
    progress_factory=None,
    force: bool = False,
    workers: int = 1,
    on_done: Callable[[str, RunOutcome | None, str], None] | None = None,
) -> SweepOutcome:
    """Run all points of ``plan``; ``workers`` > 1 runs them in parallel processes.

    ``on_done(label, outcome, error)`` is called in this process as each point ends.
    """
    spec0 = plan.specs[0]
    uri = resolve_uri(spec0.tracking.uri)
    client = init_store(uri)  # once, in this process, before any run writes
    exp_id = get_or_create_experiment(client, spec0.experiment_name, uri)
    done = set() if force else finished_hashes(client, exp_id)
    out = SweepOutcome(spec0.experiment_name, exp_id, uri, None)
    parent = None
    if len(plan.specs) > 1:
        plan_id = hashlib.sha256("".join(spec_hash(s) for s in plan.specs).encode()).hexdigest()
        parent = RunLogger.start(
            client,
            exp_id,
            f"sweep:{spec0.name}",
            tags={
                "mmbench.kind": "sweep",
                "mmbench.plan_hash": plan_id[:16],
                "mmbench.sweep_keys": ",".join(plan.sweep_keys),
                "mmbench.points": str(len(plan.specs)),
            },
        )
        out.parent_run_id = parent.run_id
    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else 0
    jobs = list(_jobs(plan, done, uri, exp_id, parent.run_id if parent else None, threads))
    out.skipped = sum(job is None for _, job in jobs)
    todo = [(label, job) for label, job in jobs if job is not None]
    status = "FINISHED"

    def collect(label: str, outcome: RunOutcome | None, error: str) -> None:
        if outcome is not None:
            out.outcomes.append(outcome)
        else:
            out.failures.append((label, error))
        if on_done is not None:
            on_done(label, outcome, error)

    try:
        if workers > 1 and len(todo) > 1:
            _run_parallel(todo, workers, collect)
        else:
            for i, (label, job) in enumerate(todo):
                progress = progress_factory(i, len(todo), label) if progress_factory else None
                outcome, error = run_point(job, progress)
                collect(label, outcome, error)
                if error and len(plan.specs) == 1:
                    raise MmbenchError(f"run failed: {error}")
    except KeyboardInterrupt:
        status = "KILLED"
        raise
    finally:
        if parent is not None:
            if out.failures:
                parent.set_tags({"mmbench.failures": str(len(out.failures))})
            parent.end(status)
    return out


def _run_parallel(todo: list[tuple[str, PointJob]], workers: int, collect) -> None:
    ctx = multiprocessing.get_context("spawn")  # no forked torch/MLflow state in workers
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {pool.submit(run_point, job): label for label, job in todo}
        for fut in as_completed(futures):
            label = futures[fut]
            try:
                outcome, error = fut.result()
            except Exception as exc:  # a worker died (out of memory, killed)
                outcome, error = None, f"worker failed: {exc!r}"
            collect(label, outcome, error)
