"""Run every point of a plan as MLflow child runs under one parent run.

Idempotent and resumable: a point whose configuration (spec hash) already has a FINISHED run
in the experiment is skipped, so re-running a sweep after an interruption runs only what is
missing; each point is claimed in the store before it trains, so sweeps started at once (or
workers, or machines sharing a store) never run a configuration twice
(:mod:`mmbench.sweeps.claims`). RUNNING runs left by dead processes are marked KILLED at the
start of the next sweep. A failing point is recorded (run status FAILED, ``error.txt``
artifact) and the sweep goes on. SIGINT/SIGTERM end the running points and the parent KILLED
and start nothing more (:mod:`mmbench.interrupts`). With ``workers > 1`` points run in
parallel local processes (:mod:`mmbench.sweeps.parallel`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from mlflow.tracking import MlflowClient

from mmbench import interrupts
from mmbench.engine.run import RunOutcome, run_tags
from mmbench.errors import MmbenchError
from mmbench.spec import Plan, spec_hash
from mmbench.sweeps import claims, owner
from mmbench.sweeps.parallel import run_parallel
from mmbench.sweeps.point import PointJob, run_point
from mmbench.sweeps.workers import point_work, resolve_workers
from mmbench.tracking import schema
from mmbench.tracking.run_logger import RunLogger
from mmbench.tracking.store import get_or_create_experiment, init_store, resolve_uri

log = logging.getLogger(__name__)

__all__ = ["PointJob", "SweepOutcome", "point_label", "run_plan", "run_point"]


@dataclass
class SweepOutcome:
    experiment: str
    experiment_id: str
    tracking_uri: str
    parent_run_id: str | None
    outcomes: list[RunOutcome] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (label, error)
    skipped: int = 0  # finished before, or claimed by another run meanwhile
    reaped: list[str] = field(default_factory=list)  # runs of dead processes marked KILLED
    tuning: list = field(default_factory=list)  # a tuned spec: each configuration's search


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
    """A swept component shows as its name; a left-out input, an empty mapping or list as
    ``none``; another mapping as ``key:value`` pairs joined by ``,`` and a list by ``+``
    (``{image: [{name: gaussian_noise, …}]}`` → ``image:gaussian_noise``)."""
    if value is None or value == {} or value == []:
        return "none"
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if isinstance(value, dict):
        return ",".join(f"{k}:{_short_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "+".join(_short_value(v) for v in value)
    return str(value)


def finished_hashes(client: MlflowClient, experiment_id: str) -> set[str]:
    runs = client.search_runs([experiment_id], "attributes.status = 'FINISHED'", max_results=50000)
    return {r.data.tags.get(schema.SPEC_HASH, "") for r in runs}


def _jobs(plan: Plan, done: set[str], uri: str, exp_id: str, parent: str | None, threads: int,
          force: bool):  # fmt: skip
    for i, spec in enumerate(plan.specs):
        label = point_label(plan, i)
        display = f"{label} seed={spec.train.seed}"
        if spec_hash(spec) in done:
            yield display, None
            continue
        tags = run_tags(spec, label)
        if i < len(plan.points) and plan.points[i]:
            tags[schema.SWEEP_POINT] = str(plan.points[i])
        tags.update(plan.run_tags[i] if i < len(plan.run_tags) else {})
        params = plan.run_params[i] if i < len(plan.run_params) else {}
        job = PointJob(
            spec.model_dump(mode="json"), label, tags, uri, exp_id, parent, threads, force, params
        )
        yield display, job


def _experiment(client: MlflowClient, plan: Plan, uri: str) -> str:
    try:
        return get_or_create_experiment(client, plan.experiment_name, uri)
    except MmbenchError as exc:
        where = f"{plan.source}: tracking.experiment"
        raise MmbenchError([f"{where}: {p}" for p in exc.problems]) from None


def _start_parent(client: MlflowClient, exp_id: str, plan: Plan) -> RunLogger:
    plan_id = hashlib.sha256("".join(spec_hash(s) for s in plan.specs).encode()).hexdigest()
    return RunLogger.start(
        client,
        exp_id,
        f"sweep:{plan.specs[0].name}",
        tags={
            schema.KIND: schema.KIND_SWEEP,
            schema.PLAN_HASH: plan_id[:16],
            schema.SWEEP_KEYS: ",".join(plan.sweep_keys),
            schema.POINTS: str(len(plan.specs)),
            **owner.owner_tags(),
        },
    )


def run_plan(
    plan: Plan,
    progress_factory=None,
    force: bool = False,
    workers: int | str = 1,
    on_done: Callable[[str, RunOutcome | None, str], None] | None = None,
) -> SweepOutcome:
    """Run all points of ``plan``; ``workers`` > 1 (or ``auto``) runs them in parallel processes.

    ``on_done(label, outcome, error)`` is called in this process as each point ends (outcome
    None and error "" for a point skipped because another run claimed it meanwhile).
    ``force`` re-runs finished points; the new run supersedes the old one.
    """
    workers = resolve_workers(workers, len(plan.specs), [point_work(s) for s in plan.specs])
    uri = resolve_uri(plan.specs[0].tracking.uri)
    client = init_store(uri)  # once, in this process, before any run writes
    exp_id = _experiment(client, plan, uri)
    out = SweepOutcome(plan.experiment_name, exp_id, uri, None)
    run_all = executor(plan, workers, progress_factory)  # a missing backend fails here
    out.reaped = claims.reap(client, exp_id)
    done = set() if force else finished_hashes(client, exp_id)
    with interrupts.raise_on_signals():
        parent = _start_parent(client, exp_id, plan) if len(plan.specs) > 1 else None
        out.parent_run_id = parent.run_id if parent else None
        threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else 0
        jobs = list(_jobs(plan, done, uri, exp_id, out.parent_run_id, threads, force))
        out.skipped = sum(job is None for _, job in jobs)
        todo = [(label, job) for label, job in jobs if job is not None]
        beat = claims.Heartbeat(uri, parent.run_id) if parent else contextlib.nullcontext()
        status, reason = "FINISHED", ""

        def collect(label: str, outcome: RunOutcome | None, error: str) -> None:
            if outcome is not None:
                out.outcomes.append(outcome)
            elif error:
                out.failures.append((label, error))
            else:
                out.skipped += 1
            if on_done is not None:
                on_done(label, outcome, error)

        try:
            with beat:
                run_all(todo, collect)
        except KeyboardInterrupt as exc:
            status, reason = "KILLED", str(exc) or "interrupted"
            if parent is not None:
                parent.set_tags({schema.ENDED_BECAUSE: reason})
            raise
        finally:
            if parent is not None:
                if out.failures:
                    parent.set_tags({schema.FAILURES: str(len(out.failures))})
                parent.end(status)
            if status == "KILLED":  # points of workers that could not end their own runs
                claims.reap(client, exp_id, because=reason)
    return out


def executor(plan: Plan, workers: int, progress_factory=None):
    """The function that runs the point jobs of ``plan``: ``run_all(todo, collect)``.

    The spec's ``execution.backend`` picks it: ``local`` (this process, or ``workers`` local
    processes) or ``ray`` (one Ray task per point, :mod:`mmbench.sweeps.ray_backend`).
    """
    execution = plan.specs[0].execution
    if execution.backend == "ray":
        from mmbench.sweeps.ray_backend import import_ray, run_on_ray

        import_ray(local=not execution.address)
        return functools.partial(run_on_ray, execution=execution)
    single = len(plan.specs) == 1

    def run_local(todo, collect) -> None:
        if workers > 1 and len(todo) > 1:
            run_parallel(todo, workers, collect)
        else:
            _run_sequential(todo, progress_factory, collect, single=single)

    return run_local


def _run_sequential(todo, progress_factory, collect, single: bool) -> None:
    for i, (label, job) in enumerate(todo):
        if interrupts.stopping():
            break
        progress = progress_factory(i, len(todo), label) if progress_factory else None
        outcome, error = run_point(job, progress)
        collect(label, outcome, error)
        if error and single:
            raise MmbenchError(f"run failed: {error}")
