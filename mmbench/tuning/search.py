"""One configuration's search: run its missing trials, one at a time, and pick its best.

The trials of one configuration are children of one ``stage=study`` MLflow run, made only when
a trial is still missing (a finished study adds no run on a re-run). That run is the search's
claim on its study (:func:`mmbench.sweeps.claims.study_snapshots`): when another tuning, on
this machine or another, is already searching the same study, this one withdraws its run and
waits until that search ends (or its owner is gone), then counts the trials again, so the
budget is never overrun and no trial is run twice.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from mlflow.tracking import MlflowClient

from mmbench import interrupts
from mmbench.errors import MmbenchError
from mmbench.spec.schema import ExperimentSpec
from mmbench.spec.tune import objective_of
from mmbench.sweeps import claims, owner
from mmbench.tracking import schema
from mmbench.tracking.run_logger import RunLogger
from mmbench.tuning import space
from mmbench.tuning.study import (
    COUNTED,
    best_trial,
    counted_trials,
    open_study,
    reseed,
    search_tags,
)
from mmbench.tuning.trial import TrialContext, TrialResult, run_trial

log = logging.getLogger(__name__)


@dataclass
class StudyOutcome:
    """One configuration's search."""

    label: str
    study: str
    budget: int
    ran: list[TrialResult] = field(default_factory=list)  # trials run by this call
    best_values: dict[str, Any] = field(default_factory=dict)
    best_value: float | None = None
    best_trial: int | None = None
    error: str = ""  # no trial completed: the configuration gets no final runs


def tune_one(optuna, storage, spec: ExperimentSpec, label: str, client: MlflowClient, uri: str,
             exp_id: str, progress_factory=None, on_trial=None,
             tags: dict[str, str] | None = None) -> StudyOutcome:  # fmt: skip
    """Run the missing trials of one configuration; its best values. ``tags`` go on its
    study run and every trial run (the Ray task that runs the search)."""
    study = open_study(optuna, storage, spec)
    budget = spec.tune.trials
    out = StudyOutcome(label, study.study_name, budget)
    dists = space.distributions(spec.tune)
    ctx = TrialContext(optuna, study, client, uri, exp_id, None, label, objective_of(spec),
                       spec.tune.pruner != "none", dict(tags or {}))  # fmt: skip
    parent = None
    with contextlib.ExitStack() as alive:
        try:
            while (done := len(counted_trials(optuna, study))) < budget:
                if interrupts.stopping():
                    raise interrupts.Interrupted()
                if parent is None:
                    parent = _start_study_run(client, exp_id, spec, label, study.study_name, tags)
                    won, why = claims.claim(client, exp_id, "", parent.run_id, study.study_name)
                    if not won:
                        claims.withdraw(client, parent.run_id, why)
                        parent = None
                        _wait_for_other_search(client, exp_id, study.study_name, label, why)
                        continue
                    ctx.parent_run_id = parent.run_id
                    alive.enter_context(claims.Heartbeat(uri, parent.run_id))
                reseed(optuna, study, spec, done)
                trial = study.ask(dists)
                result = _one_trial(ctx, trial, spec, progress_factory, done, budget)
                out.ran.append(result)
                if on_trial is not None:
                    on_trial(label, result)
        except BaseException as exc:
            if parent is not None:
                parent.end("KILLED" if isinstance(exc, KeyboardInterrupt) else "FAILED")
            raise
    if parent is not None:
        parent.end("FINISHED")
    best = best_trial(optuna, study, budget)
    if best is None:
        out.error = (
            f"tune: no trial of {label} completed ({budget} counted: every one failed or was "
            "pruned); see the error.txt of its trial runs in MLflow"
        )
        return out
    out.best_values, out.best_value, out.best_trial = dict(best.params), best.value, best.number
    return out


WAIT_S = 2.0  # how often a waiting tuning looks whether the other search of its study ended


def _wait_for_other_search(client, exp_id: str, study: str, label: str, why: str) -> None:
    """Block until no live search of ``study`` is running (dead ones are marked KILLED)."""
    log.warning("tune: %s waits: %s (the same study); it resumes when that search ends",
                label, why)  # fmt: skip
    while True:
        live, dead = claims.live_and_dead(claims.study_snapshots(client, exp_id, study))
        claims.end_dead(client, dead)
        if not live:
            return
        if interrupts.stopping():
            raise interrupts.Interrupted()
        time.sleep(WAIT_S)


def _one_trial(ctx: TrialContext, trial, spec, progress_factory, done: int, budget: int):
    try:
        values = space.trial_spec(spec, dict(trial.params))
    except MmbenchError as exc:  # values that fit one by one but not together: counted
        trial.set_user_attr(COUNTED, True)
        ctx.study.tell(trial, state=ctx.optuna.trial.TrialState.FAIL)
        return TrialResult(trial.number, "failed", None, "", exc.problems[0])
    progress = progress_factory(done, budget, f"{ctx.label} trial") if progress_factory else None
    return run_trial(ctx, trial, values, progress)


def _start_study_run(client, exp_id, spec, label, study, extra=None) -> RunLogger:
    tags = {
        schema.KIND: schema.KIND_SWEEP,
        schema.STAGE: schema.STAGE_STUDY,
        schema.STUDY: study,
        schema.LABEL: label,
        schema.TASK: spec.task,
        schema.TUNE_TRIALS: str(spec.tune.trials),
        **search_tags(spec),
        **owner.owner_tags(),
        **(extra or {}),
    }
    return RunLogger.start(client, exp_id, f"tune:{label}", tags)
