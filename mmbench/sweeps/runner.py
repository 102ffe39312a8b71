"""Run every point of a plan as MLflow child runs under one parent run.

Idempotent and resumable: a point whose configuration (spec hash) already has a FINISHED run
in the experiment is skipped, so re-running a sweep after an interruption runs only what is
missing. A failing point is recorded (run status FAILED, ``error.txt`` artifact) and the sweep
goes on; nothing already computed is lost.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from dataclasses import dataclass, field

from mlflow.tracking import MlflowClient

from mmbench.engine.progress import Progress
from mmbench.engine.run import RunOutcome, execute, run_tags
from mmbench.errors import MmbenchError
from mmbench.spec import Plan, spec_hash
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


def point_label(plan: Plan, i: int) -> str:
    point = plan.points[i] if i < len(plan.points) else {}
    shown = {k: v for k, v in point.items() if k != "train.seed"}
    if not shown:
        return plan.specs[i].name
    return ", ".join(
        f"{k.split('.')[-2] if k.endswith('.name') else k.split('.')[-1]}={v}"
        for k, v in shown.items()
    )


def finished_hashes(client: MlflowClient, experiment_id: str) -> set[str]:
    runs = client.search_runs([experiment_id], "attributes.status = 'FINISHED'", max_results=50000)
    return {r.data.tags.get("mmbench.spec_hash", "") for r in runs}


def run_plan(plan: Plan, progress_factory=None, force: bool = False) -> SweepOutcome:
    """Run all points of ``plan`` (sequentially); return outcomes and failures."""
    spec0 = plan.specs[0]
    uri = resolve_uri(spec0.tracking.uri)
    client = init_store(uri)  # once, in this process, before any run writes
    exp_id = get_or_create_experiment(client, spec0.experiment_name, uri)
    done = set() if force else finished_hashes(client, exp_id)
    out = SweepOutcome(spec0.experiment_name, exp_id, uri, None)
    parent = None
    if len(plan.specs) > 1:
        plan_id = hashlib.sha256("".join(spec_hash(s) for s in plan.specs).encode()).hexdigest()[
            :16
        ]
        parent = RunLogger.start(
            client,
            exp_id,
            f"sweep:{spec0.name}",
            tags={
                "mmbench.kind": "sweep",
                "mmbench.plan_hash": plan_id,
                "mmbench.sweep_keys": ",".join(plan.sweep_keys),
                "mmbench.points": str(len(plan.specs)),
            },
        )
        out.parent_run_id = parent.run_id
    status = "FINISHED"
    try:
        for i, spec in enumerate(plan.specs):
            label = point_label(plan, i)
            if spec_hash(spec) in done:
                out.skipped += 1
                log.info("skip %s (finished run exists)", label)
                continue
            tags = run_tags(spec, label)
            if i < len(plan.points) and plan.points[i]:
                tags["mmbench.sweep_point"] = str(plan.points[i])
            logger = RunLogger.start(
                client,
                exp_id,
                f"{label} seed={spec.train.seed}",
                tags=tags,
                parent_run_id=parent.run_id if parent else None,
            )
            progress = (
                progress_factory(i, len(plan.specs), label) if progress_factory else Progress()
            )
            try:
                outcome = execute(spec, logger, progress)
            except KeyboardInterrupt:
                logger.end("KILLED")
                status = "KILLED"
                raise
            except Exception as exc:  # recorded, the sweep goes on
                text = traceback.format_exc() if not isinstance(exc, MmbenchError) else str(exc)
                logger.log_text(text, "error.txt")
                logger.end("FAILED")
                out.failures.append((label, str(exc).splitlines()[0] if str(exc) else repr(exc)))
                if len(plan.specs) == 1:
                    raise
                continue
            logger.end("FINISHED")
            out.outcomes.append(outcome)
    finally:
        if parent is not None:
            if out.failures and status == "FINISHED":
                parent.set_tags({"mmbench.failures": str(len(out.failures))})
            parent.end(status)
    return out
