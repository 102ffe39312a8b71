"""One tuning trial as one MLflow child run, scored on the validation split.

The run is tagged ``mmbench.stage=trial`` (reports never count it) and gets a spec hash of its
own (the trial's, study and number included), so a sweep's skip-what-finished check can never
take a trial for the final run of the same values. With a pruner, the objective's validation
score is reported to Optuna after every epoch and a trial the pruner stops ends KILLED
(``mmbench.ended_because``: pruned) and counts as PRUNED.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from dataclasses import dataclass, field
from typing import Any

from mlflow.tracking import MlflowClient

from mmbench.engine.divergence import NonFiniteError
from mmbench.engine.progress import Progress
from mmbench.engine.run import execute, run_tags
from mmbench.errors import MmbenchError
from mmbench.spec.schema import ExperimentSpec
from mmbench.sweeps import claims, owner
from mmbench.tracking import schema
from mmbench.tracking.environment import environment_tags
from mmbench.tracking.run_logger import RunLogger
from mmbench.tuning.study import COUNTED, RUN_ID

log = logging.getLogger(__name__)


@dataclass
class TrialContext:
    """What every trial of one configuration shares."""

    optuna: Any
    study: Any
    client: MlflowClient
    uri: str
    experiment_id: str
    parent_run_id: str | None
    label: str
    objective: str  # score name, read as val/<objective>
    pruning: bool
    tags: dict[str, str] = field(default_factory=dict)  # on every trial run (e.g. its Ray task)


@dataclass
class TrialResult:
    number: int
    state: str  # "complete" | "pruned" | "failed"
    value: float | None
    run_id: str
    error: str = ""


class _Pruned(Exception):
    def __init__(self, epoch: int):
        super().__init__(f"pruned by Optuna after epoch {epoch}")


class _Reporting(Progress):
    """Forwards progress; reports the objective after each epoch and stops a pruned trial."""

    def __init__(self, inner: Progress | None, trial: Any, key: str, pruning: bool):
        self.inner, self.trial, self.key, self.pruning = inner or Progress(), trial, key, pruning

    def start(self, total_steps: int, label: str) -> None:
        self.inner.start(total_steps, label)

    def step(self, loss: float) -> None:
        self.inner.step(loss)

    def epoch_end(self, epoch: int, metrics: dict[str, float]) -> None:
        self.inner.epoch_end(epoch, metrics)
        value = metrics.get(self.key)
        if self.pruning and value is not None:
            self.trial.report(float(value), epoch)
            if self.trial.should_prune():
                raise _Pruned(epoch)

    def close(self) -> None:
        self.inner.close()


def trial_hash(spec_digest: str, study: str, number: int) -> str:
    return hashlib.sha256(f"{spec_digest}:{study}:{number}".encode()).hexdigest()[:16]


def run_trial(
    ctx: TrialContext, trial: Any, spec: ExperimentSpec, progress: Progress | None = None
) -> TrialResult:
    """Train ``spec`` (a trial spec) as trial ``trial`` and tell Optuna how it ended."""
    state = ctx.optuna.trial.TrialState
    tags = run_tags(spec, ctx.label)
    tags[schema.SPEC_HASH] = trial_hash(tags[schema.SPEC_HASH], ctx.study.study_name, trial.number)
    tags.update(
        {
            schema.STAGE: schema.STAGE_TRIAL,
            schema.STUDY: ctx.study.study_name,
            schema.TRIAL: str(trial.number),
            **owner.owner_tags(),
            **environment_tags(spec.train.device),
            **ctx.tags,
        }
    )
    name = f"{ctx.label} trial {trial.number}"
    logger = RunLogger.start(ctx.client, ctx.experiment_id, name, tags, ctx.parent_run_id)
    trial.set_user_attr(RUN_ID, logger.run_id)
    key = f"val/{ctx.objective}"
    try:
        with claims.Heartbeat(ctx.uri, logger.run_id):  # keeps the run alive for reap()
            outcome = execute(spec, logger, _Reporting(progress, trial, key, ctx.pruning))
        if key not in outcome.test:
            shown = ", ".join(sorted(outcome.test))
            raise MmbenchError(f"tune.objective: the trial logged no '{key}' (it logged {shown})")
        value = float(outcome.test[key])
    except _Pruned as exc:
        logger.flush()  # the curves up to the pruned epoch
        logger.set_tags({schema.ENDED_BECAUSE: str(exc)})
        logger.end("KILLED")
        ctx.study.tell(trial, state=state.PRUNED)
        return TrialResult(trial.number, "pruned", None, logger.run_id)
    except KeyboardInterrupt as exc:  # not counted: asked again when the tuning resumes
        logger.set_tags({schema.ENDED_BECAUSE: str(exc) or "interrupted"})
        logger.end("KILLED")
        ctx.study.tell(trial, state=state.FAIL)
        raise
    except Exception as exc:  # a result of the sampled values (e.g. divergence): counted
        text = str(exc) if isinstance(exc, MmbenchError) else traceback.format_exc()
        if isinstance(exc, NonFiniteError):
            logger.set_tags({schema.FAILURE_REASON: exc.reason, schema.FAILURE_STEP: exc.step})
        logger.log_text(text, "error.txt")
        logger.end("FAILED")
        trial.set_user_attr(COUNTED, True)
        ctx.study.tell(trial, state=state.FAIL)
        first = (str(exc).splitlines() or [repr(exc)])[0]
        return TrialResult(trial.number, "failed", None, logger.run_id, first)
    logger.end("FINISHED")
    ctx.study.tell(trial, value)
    return TrialResult(trial.number, "complete", value, logger.run_id)
