"""The only place where specs meet constructors; every dimension is derived, never repeated.

Encoders get the task's ``ModalityInput`` and ``model.dim``; the fusion gets the encoders'
``out_dim``s; the head gets the fusion's ``out_dim`` and the task's output size.
"""

from __future__ import annotations

from mmbench.data.base import Splits
from mmbench.data.generated_cache import build_cached
from mmbench.errors import MmbenchError
from mmbench.model import MultimodalModel
from mmbench.registry import DATASETS, ENCODERS, FUSIONS, HEADS, TASKS
from mmbench.spec.schema import ExperimentSpec
from mmbench.tasks.base import Task


def _construct(factory, where: str, *args, **kwargs):
    try:
        return factory(*args, **kwargs)
    except MmbenchError:
        raise
    except (TypeError, ValueError) as exc:  # a kwarg value the component refuses
        raise MmbenchError(f"{where}: {exc}") from exc


def build_dataset(spec: ExperimentSpec) -> Splits:
    """The spec's dataset; a generated one comes from the dataset cache after its first build."""
    builder = DATASETS.get(spec.dataset.name, where="dataset.name")
    return _construct(build_cached, "dataset.kwargs", builder, spec.task, spec.dataset.kwargs)


def build_task(spec: ExperimentSpec) -> Task:
    return TASKS.get(spec.task, where="task")(spec)


def build_model(spec: ExperimentSpec, task: Task) -> MultimodalModel:
    m = spec.model
    inputs = task.input_specs()
    encoders = {}
    for name, enc in m.encoders.items():
        kwargs = {"dim": m.dim, **enc.kwargs}
        encoders[name] = _construct(
            ENCODERS.get(enc.name, where=f"model.encoders.{name}.name"),
            f"model.encoders.{name}.kwargs",
            inputs[name],
            **kwargs,
        )
    for name, enc in m.encoders.items():
        if enc.init is not None:  # warm start before freezing
            from mmbench.engine.warm_start import load_into, read_state

            where = f"model.encoders.{name}.init"
            state = read_state(enc.init, name, spec.tracking.uri, where)
            load_into(encoders[name], state, where)
    in_dims = {name: e.out_dim for name, e in encoders.items()}
    fusion = _construct(
        FUSIONS.get(m.fusion.name, where="model.fusion.name"),
        "model.fusion.kwargs",
        in_dims,
        **{"dim": m.dim, **m.fusion.kwargs},
    )
    head = _construct(
        HEADS.get(m.head.name, where="model.head.name"),
        "model.head.kwargs",
        fusion.out_dim,
        task.num_outputs(),
        **m.head.kwargs,
    )
    frozen = {name for name, enc in m.encoders.items() if enc.frozen}
    return MultimodalModel(encoders, fusion, head, frozen=frozen)
