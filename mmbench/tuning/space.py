"""A ``tune.space`` as Optuna distributions, and sampled values applied to a spec.

A trial's spec is the configuration with the sampled values set at their dotted keys, scored
on the validation split only (``eval.split: val``, no missing-input or corruption evaluations,
so a trial never sees test data). A final run's spec is the configuration with the best values
on one of ``tune.seeds``, evaluated as the spec says. Both carry ``tune: null``: they are
ordinary runs, and their spec hash is that of what they trained.
"""

from __future__ import annotations

from typing import Any

from mmbench.spec import spec_from_dict
from mmbench.spec.loader import set_dotted
from mmbench.spec.schema import ExperimentSpec, TuneParamSpec, TuneSpec


def distribution(param: TuneParamSpec) -> Any:
    """The Optuna distribution of one searched key."""
    from optuna import distributions as d

    if param.type == "choice":
        return d.CategoricalDistribution(list(param.choices or []))
    if param.type == "int":
        step = int(param.step or 1)
        return d.IntDistribution(int(param.low), int(param.high), step=step)
    if param.type == "loguniform":
        return d.FloatDistribution(float(param.low), float(param.high), log=True)
    return d.FloatDistribution(float(param.low), float(param.high), step=param.step)


def distributions(tune: TuneSpec) -> dict[str, Any]:
    """Dotted key → distribution, in the space's order (every trial samples the same keys)."""
    return {key: distribution(param) for key, param in tune.space.items()}


def with_values(spec: ExperimentSpec, values: dict[str, Any], **sections: Any) -> ExperimentSpec:
    """``spec`` with ``values`` set at their dotted keys and ``tune`` removed, validated again."""
    data = spec.model_dump(mode="json")
    data["tune"] = None
    for key, value in {**sections, **values}.items():
        set_dotted(data, key, value)
    return spec_from_dict(data, f"{spec.name} (tuned values)")


def trial_spec(spec: ExperimentSpec, values: dict[str, Any]) -> ExperimentSpec:
    """One trial: the sampled ``values``, evaluated on the validation split only."""
    out = with_values(spec, values)
    evaluation = out.eval.model_copy(update={"split": "val", "missing": [], "corruptions": {}})
    return out.model_copy(update={"eval": evaluation})


def final_spec(spec: ExperimentSpec, values: dict[str, Any], seed: int) -> ExperimentSpec:
    """One final run: the best ``values`` on training seed ``seed``."""
    return with_values(spec, values, **{"train.seed": seed})


def tuned_params(values: dict[str, Any]) -> dict[str, str]:
    """The ``tuned.<key>`` params a final run logs (its spec params hold the same values)."""
    from mmbench.tracking.schema import TUNED_PARAM

    return {f"{TUNED_PARAM}{key}": str(value) for key, value in values.items()}
