"""The experiment spec: pydantic models, strict (unknown keys are errors).

Components are chosen by registered short name plus ``kwargs``; whether a name exists and
whether its kwargs fit its constructor is checked in :mod:`mmbench.spec.validate`, which needs
the registries. This module only describes the shape of a spec.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic import Strict as StrictMode

from mmbench.spec.names import check_name

MAX_SEED = 2**63 - 1  # torch.manual_seed takes 64-bit seeds; numpy gets seed % 2**32


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected a number, not a boolean")
    return value


# Integers and booleans are strict (``epochs: true`` and ``frozen: 1`` are errors); floats take
# ints and numeric strings (YAML 1.1 reads ``3e-4`` as a string) but never booleans. Non-finite
# numbers are refused everywhere (``allow_inf_nan=False``).
Float = Annotated[float, StrictMode(False), BeforeValidator(_not_bool)]
Name = Annotated[str, AfterValidator(check_name)]


class Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, strict=True, allow_inf_nan=False
    )


class ComponentSpec(Strict):
    """A registered component: ``{name: film, kwargs: {...}}``."""

    name: str
    kwargs: dict[str, Any] = Field(default_factory=dict)


class InitSpec(Strict):
    """Warm start of an encoder: weights from an earlier MLflow run or a checkpoint file."""

    run: str | None = None  # MLflow run id (its checkpoint/model.pt, same tracking store)
    path: str | None = None  # a checkpoint file (torch.save of a state dict or mmbench's)
    # keys to take (the prefix is stripped); default: encoders.<this input>. when present
    prefix: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> InitSpec:
        if (self.run is None) == (self.path is None):
            raise ValueError("give exactly one of 'run' (an MLflow run id) or 'path' (a file)")
        return self


class EncoderSpec(ComponentSpec):
    frozen: bool = False  # no gradient, eval mode; features may be cached across a sweep
    init: InitSpec | None = None  # warm start (loaded before freezing)


class ModelSpec(Strict):
    dim: int = Field(128, ge=1, le=8192)  # the common width D that encoders and fusion use
    # input name (as the task names it) → encoder; ``null`` leaves an input out, so a
    # unimodal baseline is ``base: full.yaml`` plus ``model: {encoders: {text: null}}``
    encoders: dict[str, EncoderSpec | None]
    fusion: ComponentSpec = Field(default_factory=lambda: ComponentSpec(name="concat"))
    head: ComponentSpec = Field(default_factory=lambda: ComponentSpec(name="classifier"))

    @field_validator("encoders")
    @classmethod
    def _drop_left_out(cls, value: dict[str, EncoderSpec | None]) -> dict[str, EncoderSpec]:
        return {k: v for k, v in value.items() if v is not None}


class CorruptionSpec(ComponentSpec):
    """A registered corruption and its levels: ``{name: typos, levels: [0, 0.05, 0.1]}``."""

    levels: list[float] = Field(min_length=1, max_length=64)


class TrainCorruptionSpec(CorruptionSpec):
    # probability that a training batch is corrupted (then at one of ``levels``, drawn uniformly)
    p: float = Field(1.0, ge=0.0, le=1.0)


class EarlyStoppingSpec(Strict):
    """Stop when the validation primary metric has not improved for ``patience`` epochs.

    An epoch improves when it beats the best so far by more than ``min_delta`` (in the metric's
    units, in its better direction). The best epoch's weights are restored either way.
    """

    patience: int = Field(3, ge=1, le=1_000_000)
    min_delta: Float = Field(0.0, ge=0)


class TrainSpec(Strict):
    epochs: int = Field(10, ge=1, le=1_000_000)
    batch_size: int = Field(64, ge=1, le=1 << 20)
    optimizer: Literal["adamw", "adam", "sgd"] = "adamw"
    lr: Float = Field(1e-3, gt=0)
    weight_decay: Float = Field(0.01, ge=0)
    schedule: Literal["cosine", "linear", "constant"] = "cosine"
    warmup_frac: Float = Field(0.05, ge=0, lt=1)  # fraction of all steps spent warming up
    grad_clip: Float | None = Field(1.0, gt=0)  # max global grad norm; null disables
    seed: int = Field(0, ge=0, le=MAX_SEED)
    device: Literal["auto", "cpu", "cuda"] = "auto"
    log_every: int = Field(
        10, ge=1, le=1 << 30
    )  # steps between train/loss points (logged in batches)
    max_steps: int | None = Field(None, ge=1, le=1 << 40)  # cap on optimiser steps (smoke tests)
    # input → probability that a training batch leaves it out (modality dropout); a batch never
    # loses every input
    modality_dropout: dict[str, Annotated[Float, Field(ge=0.0, le=0.95)]] = Field(
        default_factory=dict
    )
    # a NaN/inf loss or gradient: stop the run as FAILED, or skip that batch's optimiser step
    # (failing still when a whole epoch is skipped)
    on_nonfinite: Literal["fail", "skip_batch"] = "fail"
    # mixed precision: autocast for the forward pass (+ loss scaling for fp16)
    precision: Literal["32", "bf16", "fp16"] = "32"
    # stop on a validation plateau (null: train all ``epochs``); the best epoch is kept either way
    early_stopping: EarlyStoppingSpec | None = None
    # DataLoader worker processes that read lazily loaded inputs (``dataset.kwargs.lazy``) ahead
    # of the step; 0 reads them in the training process; no effect on in-memory data
    num_workers: int = Field(0, ge=0, le=64)

    @field_validator("precision", mode="before")
    @classmethod
    def _precision_as_text(cls, value):
        return str(value) if isinstance(value, int) else value

    # input → corruptions drawn per training batch (deterministic given ``seed``)
    corruptions: dict[str, list[TrainCorruptionSpec]] = Field(default_factory=dict)

    def corrupted_inputs(self) -> frozenset[str]:
        """Inputs a training batch may see corrupted at random: the one place that says so
        (a cache of encoder features must not serve these inputs in training)."""
        return frozenset(
            name
            for name, specs in self.corruptions.items()
            if any(c.p > 0 and c.levels for c in specs)
        )

    # frozen encoders' outputs computed once and read from the feature cache ("auto"), or not
    feature_cache: Literal["auto", "off"] = "auto"

    @field_validator("feature_cache", mode="before")
    @classmethod
    def _yaml_off(cls, value: Any) -> Any:
        # YAML 1.1 reads a bare ``off`` as false (and ``on`` as true)
        return {False: "off", True: "auto"}.get(value, value) if isinstance(value, bool) else value


WITHOUT = "without"  # "<split>/<metric> without <input>": a score with that input left out


# "<split>/<metric> at <input>:<corruption>:<level>": a score with that input corrupted
# (MLflow allows no '@' or '=' in metric names)
AT = "at"


def base_metric(name: str) -> str:
    """``"test/wer without image"`` or ``"test/wer at audio:white_noise:0"`` → ``"test/wer"``."""
    return name.split(f" {WITHOUT} ", 1)[0].split(f" {AT} ", 1)[0]


def corrupted_metric(metric: str, inp: str, corruption: str, level: float) -> str:
    """``("test/wer", "audio", "white_noise", -10.0)`` → ``"test/wer at audio:white_noise:-10"``."""
    return f"{metric} {AT} {inp}:{corruption}:{float(level):g}"


def parse_corrupted(name: str) -> tuple[str, str, str, float] | None:
    """Inverse of :func:`corrupted_metric` (None for any other name)."""
    if f" {AT} " not in name:
        return None
    metric, rest = name.split(f" {AT} ", 1)
    parts = rest.split(":")
    if len(parts) != 3:
        return None
    try:
        return metric, parts[0], parts[1], float(parts[2])
    except ValueError:
        return None


def corrupted_scores_artifact(split: str, inp: str, corruption: str, level: float) -> str:
    """Artifact path of the per-example scores of one corruption level."""
    return f"scores/corrupted/{split}_{inp}_{corruption}_{float(level):g}_per_example.csv"


def missing_metric(metric: str, inp: str) -> str:
    """``("test/wer", "image")`` → ``"test/wer without image"``."""
    return f"{metric} {WITHOUT} {inp}"


def missing_scores_artifact(split: str, inp: str) -> str:
    """Artifact path of the per-example scores with ``inp`` left out (``eval.missing``)."""
    return f"scores/missing/{split}_without_{inp}_per_example.csv"


class EvalSpec(Strict):
    split: Literal["val", "test"] = "test"
    metrics: list[str] = Field(default_factory=list)  # empty = the task's defaults
    batch_size: int = Field(256, ge=1, le=1 << 20)
    # inputs to leave out, one at a time, in extra evaluations of the trained model (missing-
    # modality robustness): logged as "<split>/<metric> without <input>"
    missing: list[str] = Field(default_factory=list)
    # input → corruptions of the test inputs of the trained model, one evaluation per level:
    # logged as "<split>/<metric> at <input>:<corruption>:<level>"
    corruptions: dict[str, list[CorruptionSpec]] = Field(default_factory=dict)
    corruption_seed: int = 0  # the corrupted test inputs depend only on this seed


class TrackingSpec(Strict):
    experiment: Name | None = None  # MLflow experiment; defaults to the spec's name
    uri: str | None = None  # tracking URI; defaults to $MLFLOW_TRACKING_URI or ./mlflow.db


class ResourcesSpec(Strict):
    cpus: float = Field(1.0, gt=0, le=1024)  # per sweep point (also its torch threads)
    gpus: float = Field(0.0, ge=0, le=64)


class ExecutionSpec(Strict):
    """Where sweep points run; not part of a configuration's identity (never changes results)."""

    backend: Literal["local", "ray"] = "local"
    address: str | None = None  # Ray: "auto", "HOST:PORT" or "ray://…"; none starts a local one
    resources: ResourcesSpec = Field(default_factory=ResourcesSpec)  # Ray: each point's task
    max_retries: int = Field(2, ge=0, le=100)  # Ray: re-runs of a point whose worker died


class DatasetSpec(ComponentSpec):
    pass


class ReportSpec(Strict):
    # the configuration (its leaderboard row label, e.g. "fusion=concat") every other one is
    # tested against, fixed before the results are seen; `mmbench report --against` overrides
    # it. Checked against the experiment's configurations when the report is written.
    baseline: str | None = Field(None, min_length=1)


class TuneParamSpec(Strict):
    """One searched key: ``{type: loguniform, low: 1e-4, high: 1e-2}``, ``{type: int, low: 1,
    high: 8, step: 1}`` or ``{type: choice, choices: [concat, film]}``."""

    type: Literal["loguniform", "uniform", "int", "choice"]
    low: Float | None = None
    high: Float | None = None
    step: Float | None = Field(None, gt=0)  # uniform/int: the grid of values; int: default 1
    choices: list[Any] | None = None

    @model_validator(mode="after")
    def _fits_type(self) -> TuneParamSpec:
        from mmbench.spec.tune import param_problem

        problem = param_problem(self)
        if problem:
            raise ValueError(problem)
        return self


class TuneSpec(Strict):
    """Search ``space`` for ``trials`` trials per configuration (Optuna TPE, seeded by
    ``seed``), scored by ``objective`` on the validation split; then run the best values on
    each of ``seeds``."""

    space: dict[str, TuneParamSpec] = Field(min_length=1, max_length=64)
    trials: int = Field(20, ge=1, le=10_000)
    seed: int = Field(0, ge=0, le=2**32 - 1)  # the search seed, the same for every configuration
    objective: str | None = None  # a score of the task's metrics; default its primary metric
    pruner: Literal["none", "median", "successive_halving"] = "none"
    seeds: list[Annotated[int, Field(ge=0, le=MAX_SEED)]] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4], min_length=1, max_length=1000
    )

    @field_validator("seeds")
    @classmethod
    def _unique_seeds(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError("each seed must appear once (a repeat would count as another seed)")
        return value


class ExperimentSpec(Strict):
    name: Name
    description: str = ""
    task: str
    dataset: DatasetSpec
    model: ModelSpec
    train: TrainSpec = Field(default_factory=TrainSpec)
    eval: EvalSpec = Field(default_factory=EvalSpec)
    tracking: TrackingSpec = Field(default_factory=TrackingSpec)
    execution: ExecutionSpec = Field(default_factory=ExecutionSpec)
    report: ReportSpec = Field(default_factory=ReportSpec)
    # hyperparameter search per configuration, then final runs on tune.seeds (mmbench.tuning)
    tune: TuneSpec | None = None

    @property
    def experiment_name(self) -> str:
        return self.tracking.experiment or self.name
