"""One Optuna study per configuration: its name, its sampler, its budget, its best trial.

The study is named from the experiment and the configuration's hash across seeds together
with what defines the search (space, search seed, objective, pruner, the trials' training
seed) but not the budget (``tune.trials``) or the final seeds: raising the budget resumes the
same study, and an interrupted tuning resumes where it stopped.

Equal budgets: a configuration's budget counts its trials that ended COMPLETE or PRUNED, or
FAILED in training (a diverging learning rate is a result); a trial cut short by an interrupt
is not counted, and is asked again. Trial ``k`` of every configuration is sampled by a TPE
sampler seeded from ``(tune.seed, k)``, so all configurations draw the same values while the
sampler is still random (its startup trials), and a resumed study draws exactly what an
uninterrupted one would have.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from mmbench.engine.run import group_hash
from mmbench.metrics.info import higher_is_better
from mmbench.spec.schema import ExperimentSpec
from mmbench.spec.tune import objective_of
from mmbench.tracking import schema

COUNTED = "mmbench_counted"  # user attribute of a FAILED trial that counts toward the budget
RUN_ID = "mlflow_run_id"  # user attribute: the trial's MLflow run
SAMPLER = "TPESampler"  # the class in optuna.samplers that draws every trial
SPACE_TAG_MAX = 5000  # a longer space as a tag lists each choice key's count, not its values


def study_name(spec: ExperimentSpec) -> str:
    """``<experiment>:<16 hex digits>`` (the same for every seed and budget)."""
    tune = spec.tune
    search = {
        "config": group_hash(spec),
        "space": {k: v.model_dump(mode="json") for k, v in tune.space.items()},
        "seed": tune.seed,
        "objective": objective_of(spec),
        "pruner": tune.pruner,
        "trial_seed": spec.train.seed,
    }
    blob = json.dumps(search, sort_keys=True, separators=(",", ":"))
    return f"{spec.experiment_name}:{hashlib.sha256(blob.encode()).hexdigest()[:16]}"


def search_tags(spec: ExperimentSpec) -> dict[str, str]:
    """The search as MLflow tags (on the study's parent run and its final runs), so a report
    states the space, sampler, seed, pruner and objective without the Optuna storage."""
    space = {k: v.model_dump(mode="json", exclude_none=True) for k, v in spec.tune.space.items()}
    text = json.dumps(space, separators=(",", ":"))
    if len(text) > SPACE_TAG_MAX:  # MLflow caps a tag's length; huge choice lists are counted
        for param in space.values():
            if "choices" in param:
                param["choices"] = f"{len(param['choices'])} values"
        text = json.dumps(space, separators=(",", ":"))
    if len(text) > SPACE_TAG_MAX:  # still too long: the keys and their types only
        text = json.dumps({k: {"type": v["type"]} for k, v in space.items()})
    return {
        schema.TUNE_SPACE: text,
        schema.TUNE_SEED: str(spec.tune.seed),
        schema.TUNE_SAMPLER: SAMPLER,
        schema.TUNE_PRUNER: spec.tune.pruner,
        schema.TUNE_OBJECTIVE: f"val/{objective_of(spec)}",
    }


def direction(spec: ExperimentSpec) -> str:
    return "maximize" if higher_is_better(objective_of(spec)) else "minimize"


STARTUP = 5  # trials of a study that the median pruner lets finish before it prunes any


def pruner(optuna: Any, spec: ExperimentSpec) -> Any:
    kind = spec.tune.pruner
    if kind == "median":
        # never in the first half of a trial's epochs (warm-up and a high learning rate start
        # slowly: pruning from epoch 0 stopped exactly the trials that end best), and only once
        # STARTUP trials have run to the end
        warmup = spec.train.epochs // 2
        return optuna.pruners.MedianPruner(n_startup_trials=STARTUP, n_warmup_steps=warmup)
    if kind == "successive_halving":
        return optuna.pruners.SuccessiveHalvingPruner()
    return optuna.pruners.NopPruner()


def open_study(optuna: Any, storage: Any, spec: ExperimentSpec) -> Any:
    """The configuration's study, created on first use."""
    return optuna.create_study(
        study_name=study_name(spec),
        storage=storage,
        direction=direction(spec),
        pruner=pruner(optuna, spec),
        load_if_exists=True,
    )


def trial_seed(search_seed: int, k: int) -> int:
    """The sampler seed of the ``k``-th counted trial (0-based) of every configuration."""
    digest = hashlib.sha256(f"mmbench-tune:{search_seed}:{k}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def reseed(optuna: Any, study: Any, spec: ExperimentSpec, k: int) -> None:
    """Give ``study`` the sampler that draws its ``k``-th counted trial."""
    study.sampler = getattr(optuna.samplers, SAMPLER)(seed=trial_seed(spec.tune.seed, k))


def counted_trials(optuna: Any, study: Any) -> list[Any]:
    """The trials that count toward the budget, by trial number."""
    state = optuna.trial.TrialState
    trials = study.get_trials(deepcopy=False)
    out = [
        t
        for t in trials
        if t.state in (state.COMPLETE, state.PRUNED)
        or (t.state == state.FAIL and t.user_attrs.get(COUNTED))
    ]
    return sorted(out, key=lambda t: t.number)


def best_trial(optuna: Any, study: Any, budget: int) -> Any | None:
    """The best COMPLETE trial among the first ``budget`` counted ones (None if none is)."""
    state = optuna.trial.TrialState
    done = [t for t in counted_trials(optuna, study)[:budget] if t.state == state.COMPLETE]
    if not done:
        return None
    sign = 1.0 if study.direction == optuna.study.StudyDirection.MAXIMIZE else -1.0
    return max(done, key=lambda t: (sign * t.value, -t.number))
