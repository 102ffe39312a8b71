"""Checks of a ``tune:`` block beyond its shape (which :mod:`mmbench.spec.schema` describes).

A searched key must exist in a spec, must not also be swept, and must change results without
changing what is measured (``train.seed`` is set by ``tune.seeds``, ``eval.*`` defines the
measurement). Every candidate value (``low``, ``high``, each choice) must validate at its key,
so a trial can never fail on a value the search space allowed; the objective must be a score
the runs compute.
"""

from __future__ import annotations

import copy
from typing import Any

from mmbench.errors import short_repr
from mmbench.registry import TASKS, did_you_mean

# keys that are not hyperparameters: identity, tracking, where it runs, what is measured
NOT_TUNABLE = ("name", "description", "base", "sweep", "tune", "tracking", "execution", "report")
NOT_TUNABLE_KEYS = ("train.seed",)
NOT_TUNABLE_SECTIONS = ("eval",)
MAX_CHOICES = 1000


def param_problem(param: Any) -> str | None:
    """Why a :class:`~mmbench.spec.schema.TuneParamSpec` cannot be searched, or None."""
    from mmbench.spec.sweep import repeated_values

    kind = param.type
    if kind == "choice":
        if param.low is not None or param.high is not None or param.step is not None:
            return "type 'choice' takes only 'choices' (no low, high or step)"
        if param.choices is None:
            return "type 'choice' needs 'choices', a non-empty list of values"
        if not param.choices or len(param.choices) > MAX_CHOICES:
            return f"choices: {len(param.choices)} values; give 1 to {MAX_CHOICES}"
        odd = [
            c for c in param.choices if not (c is None or isinstance(c, bool | int | float | str))
        ]
        if odd:
            return (
                f"choices: {short_repr(odd[0])} is not a plain value; choices are numbers, "
                "strings, booleans or null (sweep over components instead)"
            )
        repeated = repeated_values(param.choices)
        if repeated:
            return f"choices: {', '.join(map(short_repr, repeated))} listed more than once"
        return None
    if param.choices is not None:
        return f"type '{kind}' takes 'low' and 'high', not 'choices'"
    if param.low is None or param.high is None:
        return f"type '{kind}' needs both 'low' and 'high'"
    if not param.low < param.high:
        return f"low ({param.low:g}) must be less than high ({param.high:g})"
    if kind == "loguniform":
        if param.low <= 0:
            return f"low must be > 0 for a log-uniform range (low is {param.low:g})"
        if param.step is not None:
            return "a log-uniform range takes no step (use type 'uniform' or 'int' for a grid)"
    if kind == "int":
        whole = [v for v in (param.low, param.high, param.step) if v is not None]
        if any(float(v) != int(v) for v in whole):
            return "type 'int' needs whole numbers for low, high and step"
    if param.step is not None and param.step > param.high - param.low:
        return f"step ({param.step:g}) is larger than the range high - low"
    return None


def check_tune_block(tune: Any, sweep: Any, source: str) -> list[str]:
    """Problems of the raw ``tune:`` mapping that need more than its own shape."""
    from mmbench.spec.validate import check_key_path

    if not isinstance(tune, dict) or not isinstance(tune.get("space"), dict):
        return []  # absent, or a shape error the schema reports
    swept = set(sweep) if isinstance(sweep, dict) else set()
    problems = []
    if "train.seed" in swept:
        problems.append(
            f"{source}: sweep.train.seed: a spec with tune: sets its seeds in tune.seeds "
            "(trials use train.seed, final runs each of tune.seeds); remove train.seed from sweep"
        )
    for key in tune["space"]:
        where = f"{source}: tune.space.{key}"
        if not isinstance(key, str) or not key or any(not p for p in key.split(".")):
            problems.append(f"{where}: not a dotted key such as train.lr")
            continue
        first = key.split(".")[0]
        if first in NOT_TUNABLE or key in NOT_TUNABLE_KEYS or first in NOT_TUNABLE_SECTIONS:
            why = {
                "train.seed": "seeds are set by tune.seeds, not searched",
                "eval": "eval.* defines what is measured; it must be the same for every trial",
            }.get(key if key in NOT_TUNABLE_KEYS else first, "it does not change the training")
            problems.append(f"{where}: this key cannot be tuned ({why})")
            continue
        bad = check_key_path(key)
        if bad:
            problems.append(f"{where}: tunes a key that does not exist: {bad}")
        if key in swept:
            problems.append(
                f"{where}: also swept (sweep.{key}); a key is either swept (every value run) "
                "or tuned (searched per configuration), not both"
            )
    return problems


def tune_value_problems(raw: dict[str, Any], spec: Any, source: str) -> list[str]:
    """Each candidate value validated at its key, and the objective against the task's scores.

    ``raw`` is one sweep point's mapping and ``spec`` its validated ``ExperimentSpec``.
    """
    from mmbench.errors import MmbenchError
    from mmbench.spec import spec_from_dict
    from mmbench.spec.loader import set_dotted

    tune = spec.tune
    problems = []
    for key, param in tune.space.items():
        if param.type == "choice":
            candidates = list(param.choices or [])
        elif param.type == "int":
            candidates = [int(param.low), int(param.high)]
        else:
            candidates = [param.low, param.high]
        for value in candidates:
            data = copy.deepcopy(raw)
            data.pop("tune", None)
            try:
                set_dotted(data, key, value)
                spec_from_dict(data, source)  # the schema and the registries (kwargs values)
            except MmbenchError as exc:
                shown = exc.problems[0].removeprefix(f"{source}: ")
                if "valid integer" in shown and param.type != "int":
                    shown += f"; use type 'int' for {key}"
                problems.append(
                    f"{source}: tune.space.{key}: the value {short_repr(value)} does not fit "
                    f"{key} ({shown})"
                )
                break
    problems += objective_problems(spec, source)
    return problems


def objective_scores(spec: Any) -> list[str]:
    """The score names a run of ``spec`` logs (``vqa_acc``, ``wer``, ``loss``, …)."""
    from mmbench.metrics.info import metric_scores

    task = TASKS.get(spec.task)
    names: list[str] = []
    for metric in list(spec.eval.metrics) or list(task.default_metrics):
        try:
            names += [s for s in metric_scores(metric) if s not in names]
        except Exception:  # an unknown metric: the task's own check reports it
            continue
    return [*names, "loss"]


def objective_of(spec: Any) -> str:
    """The score a trial is judged by: ``tune.objective``, else the task's primary metric."""
    return (spec.tune.objective or TASKS.get(spec.task).primary_metric).removeprefix("val/")


def objective_problems(spec: Any, source: str) -> list[str]:
    if spec.task not in TASKS or spec.tune.objective is None:
        return []
    objective = spec.tune.objective.removeprefix("val/")
    allowed = objective_scores(spec)
    if objective in allowed:
        return []
    return [
        f"{source}: tune.objective: '{spec.tune.objective}' is not a score the runs log"
        f"{did_you_mean(objective, allowed)} (allowed: {', '.join(allowed)}); it is always "
        "read on the validation split"
    ]
