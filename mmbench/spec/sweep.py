"""Sweep expansion: a ``sweep:`` block maps dotted keys to lists; the grid is their product."""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

from mmbench.errors import MmbenchError


def check_sweep_block(sweep: Any, source: str) -> list[str]:
    from mmbench.errors import short_repr
    from mmbench.spec.validate import check_key_path

    if sweep is None:
        return []
    if not isinstance(sweep, dict):
        return [
            f"{source}: sweep: expected a mapping of dotted keys to lists; "
            f"found {short_repr(sweep)}"
        ]
    problems = []
    for key, values in sweep.items():
        if not isinstance(key, str) or not key or any(not p for p in key.split(".")):
            problems.append(
                f"{source}: sweep: {short_repr(key)} is not a dotted key; sweep keys are "
                "strings such as train.seed"
            )
            continue
        if not isinstance(values, list) or not values:
            problems.append(
                f"{source}: sweep.{key}: expected a non-empty list of values; "
                f"found {short_repr(values)}"
            )
        repeated = repeated_values(values) if isinstance(values, list) else []
        if repeated:
            shown = ", ".join(map(short_repr, repeated))
            problems.append(
                f"{source}: sweep.{key}: {shown} listed more than once in {short_repr(values)}; "
                "each value must appear once (a repeat would run the same configuration twice "
                "and count it as another seed)"
            )
        if key.split(".")[0] in ("name", "sweep", "base", "tune"):
            problems.append(f"{source}: sweep.{key}: this key cannot be swept")
            continue
        bad = check_key_path(str(key))
        if bad:
            problems.append(f"{source}: sweep.{key}: sweeps over a key that does not exist: {bad}")
    return problems


def repeated_values(values: list[Any]) -> list[Any]:
    """Values that occur more than once in ``values`` (compared as canonical JSON)."""
    seen: set[str] = set()
    repeated = []
    for value in values:
        key = json.dumps(value, sort_keys=True, default=repr)
        if key in seen and value not in repeated:
            repeated.append(value)
        seen.add(key)
    return repeated


def duplicate_points(hashes: list[str], labels: list[str]) -> list[str]:
    """A problem line per sweep point that resolves to the same configuration as an earlier
    one (e.g. ``1e-3`` and ``0.001``, or two ways of writing the same component)."""
    first: dict[str, str] = {}
    problems = []
    for digest, label in zip(hashes, labels):
        if digest in first:
            problems.append(
                f"sweep: the points [{first[digest]}] and [{label}] are the same configuration; "
                "list each value once"
            )
        else:
            first[digest] = label
    return problems


MAX_POINTS = 10_000


def expand_grid(sweep: dict[str, list[Any]] | None, source: str = "<spec>") -> list[dict[str, Any]]:
    """Every combination, in a stable order (the last key varies fastest)."""
    if not sweep:
        return [{}]
    keys = list(sweep)
    n = math.prod(len(sweep[k]) for k in keys)  # counted before anything is built
    if n > MAX_POINTS:
        sizes = " × ".join(str(len(sweep[k])) for k in keys)
        raise MmbenchError(
            f"{source}: sweep: {n:,} points ({sizes}) is more than the {MAX_POINTS:,} allowed"
        )
    combos = itertools.product(*(sweep[k] for k in keys))
    return [dict(zip(keys, values)) for values in combos]
