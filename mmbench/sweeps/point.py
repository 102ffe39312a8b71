"""One sweep point as one MLflow run: claim it, train it, end it with the right status.

The run is created first and claimed (:mod:`mmbench.sweeps.claims`); a point that another run
finished or claims first is withdrawn and reported as skipped. While it trains, a heartbeat
thread keeps the claim alive and re-checks it. It ends FINISHED, FAILED (with ``error.txt`` and,
for a diverged run, the step and reason as tags) or KILLED (interrupted; then a worker process
exits at once, so no further point starts in it).
"""

from __future__ import annotations

import logging
import os
import traceback
from dataclasses import dataclass, field

from mlflow.tracking import MlflowClient

from mmbench import interrupts
from mmbench.engine import distributed
from mmbench.engine.divergence import NonFiniteError
from mmbench.engine.progress import Progress
from mmbench.engine.run import RunOutcome, execute
from mmbench.errors import MmbenchError
from mmbench.spec.schema import ExperimentSpec
from mmbench.sweeps import claims, owner
from mmbench.tracking import schema
from mmbench.tracking.environment import environment_tags
from mmbench.tracking.run_logger import RunLogger

log = logging.getLogger(__name__)


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
    forced: bool = False  # --force: supersede an earlier finished run of this configuration
    params: dict[str, str] = field(default_factory=dict)  # logged beside the spec's own params


class ClaimLost(Exception):
    """Another run holds this point's claim (found by the heartbeat or the final check)."""


class _Guarded(Progress):
    """Forwards progress; stops training as soon as the heartbeat finds the claim lost."""

    def __init__(self, inner: Progress | None, beat: claims.Heartbeat):
        self.inner, self.beat = inner or Progress(), beat

    def start(self, total_steps: int, label: str) -> None:
        self.inner.start(total_steps, label)

    def step(self, loss: float) -> None:
        if self.beat.lost.is_set():
            raise ClaimLost(self.beat.why)
        self.inner.step(loss)

    def epoch_end(self, epoch: int, metrics: dict[str, float]) -> None:
        self.inner.epoch_end(epoch, metrics)

    def close(self) -> None:
        self.inner.close()


def run_point(job: PointJob, progress: Progress | None = None) -> tuple[RunOutcome | None, str]:
    """Run one point; (outcome, "") if it ran, (None, error line) if it failed, (None, "") if
    it was skipped (finished or claimed by another run, or the sweep is stopping)."""
    if interrupts.stopping():
        return None, ""
    with interrupts.point_running():
        return _run_point(job, progress)


def _run_point(job: PointJob, progress: Progress | None) -> tuple[RunOutcome | None, str]:
    if job.threads:
        import torch

        torch.set_num_threads(job.threads)
    spec = ExperimentSpec.model_validate(job.spec)
    client = MlflowClient(job.uri)
    env = environment_tags(spec.train.device)
    tags = {**job.tags, **owner.owner_tags(), **env, **({schema.FORCED: "1"} if job.forced else {})}
    name = f"{job.label} seed={spec.train.seed}"
    logger = RunLogger.start(client, job.experiment_id, name, tags, job.parent_run_id)
    digest, exp = job.tags[schema.SPEC_HASH], job.experiment_id
    if job.params:
        logger.log_params(job.params)
    try:
        won, why = claims.claim(client, exp, digest, logger.run_id)
        if not won:
            raise ClaimLost(why)
        with claims.Heartbeat(job.uri, logger.run_id, exp, digest) as beat:
            outcome = execute(spec, logger, _Guarded(progress, beat))
        won, why = claims.check(client, exp, digest, logger.run_id)  # before it counts
        if not won:
            raise ClaimLost(why)
    except ClaimLost as exc:
        log.info("%s: skipped, %s", name, exc)
        claims.withdraw(client, logger.run_id, str(exc))
        return None, ""
    except KeyboardInterrupt as exc:
        logger.set_tags({schema.ENDED_BECAUSE: str(exc) or "interrupted"})
        logger.end("KILLED")
        if interrupts.in_worker():  # no further point starts in this process
            os._exit(getattr(exc, "exit_code", 130))
        raise
    except Exception as exc:  # recorded in the run; the sweep goes on
        text = str(exc) if isinstance(exc, MmbenchError) else traceback.format_exc()
        if isinstance(exc, NonFiniteError):
            logger.set_tags({schema.FAILURE_REASON: exc.reason, schema.FAILURE_STEP: exc.step})
        logger.log_text(text, "error.txt")
        logger.end("FAILED")
        if distributed.world_size() > 1:  # the other ranks cannot go on alone: end them all
            raise
        return None, (str(exc).splitlines() or [repr(exc)])[0]
    logger.end("FINISHED")
    if job.forced:
        claims.supersede(client, exp, digest, logger.run_id)
    return outcome, ""
