"""Contract tests over every registered task, head and dataset (picked up from the registries),
as the encoder, fusion and metric contracts do: naming, documentation, and that what a task
declares (metrics, primary metric, heads, input kinds) exists and agrees with the metrics'
own declarations."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from mmbench.encoders.base import MODALITY_KINDS
from mmbench.metrics.info import metric_scores
from mmbench.registry import DATASETS, HEADS, METRICS, TASKS
from mmbench.tasks.base import Task

ROOT = Path(__file__).resolve().parents[2]
KINDS = {"task": TASKS, "head": HEADS, "dataset": DATASETS}
ALL = [(kind, name) for kind, reg in KINDS.items() for name in reg.names()]


@pytest.mark.parametrize(("kind", "name"), ALL)
def test_documented_and_named_after_its_file(kind, name):
    obj = KINDS[kind].get(name)
    assert (inspect.getdoc(obj) or "").splitlines()[0].strip(), f"{kind} {name}: no docstring"
    assert obj.__module__.rsplit(".", 1)[-1] == name, "registered name must equal the file stem"


@pytest.mark.parametrize("name", TASKS.names())
def test_task_declarations_exist(name):
    cls = TASKS.get(name)
    assert issubclass(cls, Task) and cls.name == name
    assert cls.metrics and set(cls.default_metrics) <= set(cls.metrics)
    for metric in cls.metrics:
        assert metric in METRICS.names(), f"{name} lists unknown metric {metric!r}"
    declared = {s for m in cls.metrics for s in metric_scores(m)}
    assert cls.primary_metric in declared, "the primary score must be declared by a metric"
    assert set(cls.metric_options) <= set(cls.metrics)
    assert cls.heads and all(h in HEADS.names() for h in cls.heads)
    assert cls.inputs and set(cls.inputs.values()) <= set(MODALITY_KINDS)
    assert set(cls.input_fields) <= set(cls.inputs)
    assert cls.id_key, "examples need an id key for the per-example artifacts"


@pytest.mark.parametrize("name", TASKS.names())
def test_task_implements_the_metric_hooks(name):
    cls = TASKS.get(name)
    assert cls.metric_references is not Task.metric_references, "metric_references missing"
    assert cls.evaluate is Task.evaluate, "metrics come from the registry via Task.evaluate"


@pytest.mark.parametrize("name", TASKS.names())
def test_task_state_round_trips_through_restore(name):
    """A task prepared on other data and given a checkpoint's ``state()`` decodes the same way
    (what evaluating a trained run on another dataset relies on)."""
    if name == "asr":
        pytest.importorskip("espeakng_loader")
    from mmbench.build import build_dataset, build_task
    from mmbench.spec import load_plan

    def prepared(seed: int, n_train: int):
        sets = [f"dataset.kwargs.{k}={v}" for k, v in
                {"n_train": n_train, "n_val": 4, "n_test": 4, "seed": seed}.items()]  # fmt: skip
        spec = load_plan(ROOT / "experiments" / name / "baseline.yaml", sets).specs[0]
        task = build_task(spec)
        task.prepare(build_dataset(spec))
        return task

    trained, other = prepared(0, 24), prepared(7, 6)
    assert other.state() != trained.state(), "the two datasets should fit different states"
    other.restore(trained.state())
    assert other.state() == trained.state()
