"""Turn a raw mapping into a validated ``ExperimentSpec``, reporting every problem at once.

Two layers: the pydantic schema (shape, types, unknown keys) and the registries (component
names, their keyword arguments, task inputs, metrics). Each problem line names the source,
the dotted key, what was found, what is allowed, and a did-you-mean where one is close.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from mmbench.errors import short_repr
from mmbench.kwarg_checks import kwargs_problems
from mmbench.registry import DATASETS, ENCODERS, FUSIONS, HEADS, TASKS, Registry, did_you_mean
from mmbench.spec.schema import ExperimentSpec


def _fields_at(path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model class that holds the last element of ``path`` (None: free-form)."""
    model: Any = ExperimentSpec
    skip = False
    for part in path:
        if skip:  # the free key of a dict of models (an input name under model.encoders)
            skip = False
            continue
        if isinstance(part, int):  # a position in a list of models (eval.corruptions.image.0)
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        if typing.get_origin(field.annotation) is dict:
            args = typing.get_args(field.annotation)
            model = _inner_model(args[1]) if args else None
            skip = True
            continue
        model = _inner_model(field.annotation)
    if skip:
        return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is dict:
        return "dict-of-models"
    if origin is list and typing.get_args(annotation):
        inner = typing.get_args(annotation)[0]
        return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                return arg
        return None
    return annotation


def check_key_path(key: str) -> str | None:
    """A problem text if the dotted ``key`` cannot exist in a spec, else None."""
    model: Any = ExperimentSpec
    parts = key.split(".")
    for i, part in enumerate(parts):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None  # below a free-form mapping (kwargs): anything goes
        fields = model.model_fields
        if part not in fields:
            where = ".".join(parts[:i]) or "the top level"
            return (
                f"'{part}' is not a key of {where}{did_you_mean(part, list(fields))} "
                f"(allowed: {', '.join(fields)})"
            )
        ann = fields[part].annotation
        if typing.get_origin(ann) is dict:
            value_type = _inner_model(typing.get_args(ann)[1]) if typing.get_args(ann) else None
            if (
                i + 1 < len(parts)
                and isinstance(value_type, type)
                and issubclass(value_type, BaseModel)
            ):
                # model.encoders.<input>.<field>: skip the free input name
                rest = parts[i + 2 :]
                if rest and rest[0] not in value_type.model_fields:
                    return (
                        f"'{rest[0]}' is not a key of {'.'.join(parts[: i + 2])}"
                        f"{did_you_mean(rest[0], list(value_type.model_fields))} "
                        f"(allowed: {', '.join(value_type.model_fields)})"
                    )
            return None
        model = _inner_model(ann)
    return None


def _fmt_loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def pydantic_problems(exc: ValidationError, source: str) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        key = _fmt_loc(loc)
        found = err.get("input")
        if err["type"] == "extra_forbidden":
            parent = _fields_at(loc[:-1])
            allowed = list(parent.model_fields) if parent else []
            hint = did_you_mean(str(loc[-1]), allowed)
            lines.append(f"{source}: {key}: unknown key{hint} (allowed here: {', '.join(allowed)})")
        elif err["type"] == "missing":
            lines.append(f"{source}: {key}: required key is missing")
        else:
            msg = err["msg"]
            if err["type"] == "int_type" and isinstance(found, bool):
                msg = "Input should be a valid integer, not a boolean (true/false)"
            if err["type"] == "value_error":  # our validators' text, without pydantic's prefix
                msg = str((err.get("ctx") or {}).get("error", msg))
            expected = (err.get("ctx") or {}).get("expected")
            hint = ""
            if expected and isinstance(found, str):
                choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",")]
                hint = did_you_mean(found, [c for c in choices if c])
            lines.append(f"{source}: {key}: {msg}; found {short_repr(found)}{hint}")
    return lines


def _kwargs_problems(registry: Registry, name: str, kwargs: dict[str, Any], key: str) -> list[str]:
    """Unknown keyword names, then the values of the known ones (types, ranges, hooks)."""
    allowed, open_kwargs = registry.kwargs_of(name)
    out = []
    for k in kwargs:
        if k not in allowed and not open_kwargs:
            out.append(
                f"{key}.kwargs.{k}: {registry.kind} '{name}' takes no argument '{k}'"
                f"{did_you_mean(k, sorted(allowed))} "
                f"(allowed: {', '.join(sorted(allowed)) or 'none'})"
            )
    known = {k: v for k, v in kwargs.items() if k in allowed}
    return out + kwargs_problems(registry.get(name), known, f"{key}.kwargs")


def _component_problems(registry: Registry, name: str, kwargs: dict, key: str) -> list[str]:
    if name not in registry:
        from mmbench.errors import MmbenchError

        try:
            registry.get(name, where=f"{key}.name")
        except MmbenchError as exc:
            return exc.problems
    return _kwargs_problems(registry, name, kwargs, key)


def _component(raw: dict[str, Any], *path: str) -> tuple[str, dict] | None:
    node: Any = raw
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    if not isinstance(node, dict) or not isinstance(node.get("name"), str):
        return None
    kwargs = node.get("kwargs")
    return node["name"], kwargs if isinstance(kwargs, dict) else {}


def component_problems(raw: dict[str, Any]) -> list[str]:
    """Registry checks on the raw mapping, so they run even when the schema check fails."""
    problems: list[str] = []
    task = raw.get("task")
    if isinstance(task, str) and task not in TASKS:
        problems += [
            p.replace("task.name:", "task:") for p in _component_problems(TASKS, task, {}, "task")
        ]
    checks = [
        (DATASETS, ("dataset",), "dataset"),
        (FUSIONS, ("model", "fusion"), "model.fusion"),
        (HEADS, ("model", "head"), "model.head"),
    ]
    encoders = (
        (raw.get("model") or {}).get("encoders") if isinstance(raw.get("model"), dict) else None
    )
    if isinstance(encoders, dict):
        checks += [
            (ENCODERS, ("model", "encoders", name), f"model.encoders.{name}") for name in encoders
        ]
    for registry, path, key in checks:
        found = _component(raw, *path)
        if found:
            problems += _component_problems(registry, found[0], found[1], key)
    return problems


def semantic_problems(spec: ExperimentSpec | None, raw: dict[str, Any], source: str) -> list[str]:
    """Problems only the registries can see: names, kwargs, task inputs, metrics."""
    problems = component_problems(raw)
    if spec is not None and spec.task in TASKS:
        problems += TASKS.get(spec.task).spec_problems(spec)
    return [p if p.startswith(source) else f"{source}: {p}" for p in problems]
