"""Keyword values of components: declared once, next to the component, checked by one helper.

A component's keyword arguments are declared by its signature's type hints (``hidden: int``,
``dropout: float``, ``pool: Literal["mean", "max"]``, ``voices: list[str] | None``) plus a small
range table given with :func:`ranges` right above it::

    @FUSIONS.register("concat")
    @ranges(dim=DIM, hidden=DIM, dropout=PROB)
    class ConcatFusion(Fusion): ...

:func:`kwargs_problems` checks the values a spec passes against both (``mmbench validate`` runs
it for every sweep point, before any data or model is built); a component may add checks that
involve several keywords with ``check_kwargs`` (a function of the full keyword mapping, defaults
included, returning problem lines). :func:`check_value` is the single check used by those hooks
and by the builders themselves: integers are never booleans, numbers are finite, each problem
names the dotted key, the value found and the allowed form.
"""

from __future__ import annotations

import collections.abc
import inspect
import math
import types
import typing
from collections.abc import Callable
from typing import Any

from mmbench.errors import short_repr

Bounds = tuple[float | None, float | None]  # inclusive; None: unbounded on that side

# Ranges shared by many components (inclusive).
DIM: Bounds = (1, 8192)  # widths and hidden sizes
PROB: Bounds = (0.0, 1.0)  # dropout and other probabilities
LAYERS: Bounds = (1, 64)
N_HEADS: Bounds = (1, 64)  # attention heads
SEED: Bounds = (0, 2**63 - 1)  # torch takes 64-bit seeds
N_EXAMPLES: Bounds = (1, 1_000_000)
SAMPLE_RATE: Bounds = (1000, 192_000)


def ranges(**table: Bounds) -> Callable[[Any], Any]:
    """Declare the allowed range of numeric keyword arguments of a component."""

    for name, bounds in table.items():
        if not (isinstance(bounds, tuple) and len(bounds) == 2):
            raise TypeError(f"ranges({name}=...): expected a (low, high) pair, got {bounds!r}")

    def deco(obj: Any) -> Any:
        obj.kwarg_ranges = dict(table)
        return obj

    return deco


def _describe_range(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f" from {lo} to {hi}"
    if lo is not None:
        return f" ≥ {lo}"
    if hi is not None:
        return f" ≤ {hi}"
    return ""


def _args(ann: Any) -> tuple[Any, ...]:
    return typing.get_args(ann)


def _is_union(ann: Any) -> bool:
    return typing.get_origin(ann) in (typing.Union, types.UnionType)


def _origin(ann: Any) -> Any:
    return typing.get_origin(ann) or ann


def describe(ann: Any, lo: float | None = None, hi: float | None = None) -> str:
    """The allowed form of a value of type ``ann`` (numbers within ``[lo, hi]``), in words."""
    rng = _describe_range(lo, hi)
    if ann is type(None) or ann is None:
        return "null"
    if _is_union(ann):
        arms = [a for a in _args(ann) if a is not type(None)]
        text = " or ".join(describe(a, lo, hi) for a in arms)
        return text + (", or null" if len(arms) < len(_args(ann)) else "")
    if typing.get_origin(ann) is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in _args(ann))
    origin = _origin(ann)
    if origin is bool:
        return "true or false"
    if origin is int:
        return f"an integer{rng}"
    if origin is float:
        return f"a number{rng}"
    if origin is str:
        return "a string"
    if origin in (dict, collections.abc.Mapping):
        return "a mapping"
    inner = _args(ann)
    if origin is tuple and inner and inner[-1] is not Ellipsis:
        kinds = {_plural(a) for a in inner}
        return f"a list of {len(inner)} {kinds.pop() if len(kinds) == 1 else 'values'}{rng}"
    if origin in (list, tuple, collections.abc.Sequence):
        return f"a list of {_plural(inner[0]) if inner else 'values'}{rng}"
    return getattr(ann, "__name__", str(ann))


def _plural(ann: Any) -> str:
    origin = _origin(ann)
    return {int: "integers", float: "numbers", str: "strings", bool: "booleans"}.get(
        origin, "values"
    )


def matches(value: Any, ann: Any) -> bool:
    """Whether ``value`` (plain spec data) is of type ``ann``; unknown types accept anything."""
    if ann is Any or ann is inspect.Parameter.empty:
        return True
    if ann is type(None) or ann is None:
        return value is None
    if _is_union(ann):
        return any(matches(value, a) for a in _args(ann))
    if typing.get_origin(ann) is typing.Literal:
        return any(type(value) is type(a) and value == a for a in _args(ann))
    origin = _origin(ann)
    if origin is bool:
        return isinstance(value, bool)
    if origin is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin is float:
        return (
            isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        )
    if origin is str:
        return isinstance(value, str)
    if origin in (dict, collections.abc.Mapping):
        if not isinstance(value, dict):
            return False
        kv = _args(ann)
        return not kv or all(matches(k, kv[0]) and matches(v, kv[1]) for k, v in value.items())
    if origin in (list, tuple, collections.abc.Sequence):
        if not isinstance(value, (list, tuple)):
            return False
        inner = _args(ann)
        if origin is tuple and inner and inner[-1] is not Ellipsis:
            return len(value) == len(inner) and all(map(matches, value, inner))
        return not inner or all(matches(v, inner[0]) for v in value)
    return True  # a class the spec cannot express: leave it to the component


def _numbers(value: Any) -> list[float]:
    """The numbers a range applies to: the value itself, or each element of a list."""
    items = value if isinstance(value, (list, tuple)) else [value]
    return [v for v in items if isinstance(v, (int, float)) and not isinstance(v, bool)]


def check_value(
    problems: list[str],
    key: str,
    value: Any,
    ann: Any,
    lo: float | None = None,
    hi: float | None = None,
) -> bool:
    """Append one problem unless ``value`` is of type ``ann`` within ``[lo, hi]``; True if it is.

    The range applies to a number, or to each number of a list.
    """
    ok = matches(value, ann) and all(
        (lo is None or v >= lo) and (hi is None or v <= hi) for v in _numbers(value)
    )
    if not ok:
        problems.append(
            f"{key}: {short_repr(value)} is not allowed; expected {describe(ann, lo, hi)}"
        )
    return ok


def _hints(fn: Callable[..., Any]) -> dict[str, Any]:
    """Resolved annotations of ``fn``'s parameters (an unresolvable one is ``Any``)."""
    try:
        return typing.get_type_hints(fn)
    except Exception:  # a name only imported under TYPE_CHECKING: resolve one by one
        out = {}
        for name, param in inspect.signature(fn).parameters.items():
            try:
                out[name] = eval(param.annotation, getattr(fn, "__globals__", {}))  # noqa: S307
            except Exception:
                out[name] = Any
        return out


def kwargs_problems(factory: Any, kwargs: dict[str, Any], key: str) -> list[str]:
    """Problems of the keyword values ``kwargs`` passed to ``factory`` (a class or function).

    ``key`` is the dotted key of the kwargs mapping, e.g. ``model.head.kwargs``. Unknown
    keywords are not reported here (the registry's signature check does that).
    """
    fn = factory.__init__ if inspect.isclass(factory) else factory
    hints = _hints(fn)
    table: dict[str, Bounds] = getattr(factory, "kwarg_ranges", {})
    problems: list[str] = []
    for name, value in kwargs.items():
        if name not in hints:
            continue
        lo, hi = table.get(name, (None, None))
        check_value(problems, f"{key}.{name}", value, hints[name], lo, hi)
    hook = getattr(factory, "check_kwargs", None)
    if hook is not None and not problems:
        params = inspect.signature(fn).parameters
        full = {
            n: p.default
            for n, p in params.items()
            if p.default is not inspect.Parameter.empty and n not in ("self",)
        }
        full.update(kwargs)
        problems += hook(full)
    return problems


def numeric_kwargs(factory: Any) -> list[str]:
    """Keyword arguments typed as numbers (int or float), which need a declared range."""
    fn = factory.__init__ if inspect.isclass(factory) else factory
    out = []
    for name, ann in _hints(fn).items():
        if name == "return":
            continue
        if any(matches(v, ann) for v in (1.5, 3)) and not matches("x", ann):
            out.append(name)
    return out
