"""Experiment specs: schema, YAML loading with inheritance and overrides, sweeps, validation.

``load_plan(path, overrides)`` returns every sweep point as a validated ``ExperimentSpec``, or
raises one ``MmbenchError`` listing every problem of every point.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from mmbench.errors import MmbenchError, short_repr
from mmbench.spec.loader import load_with_bases, parse_override, set_dotted
from mmbench.spec.schema import ExperimentSpec
from mmbench.spec.sweep import check_sweep_block, duplicate_points, expand_grid
from mmbench.spec.tune import check_tune_block, tune_value_problems
from mmbench.spec.validate import check_key_path, pydantic_problems, semantic_problems

__all__ = ["ExperimentSpec", "Plan", "load_plan", "spec_hash", "spec_from_dict", "to_yaml"]


@dataclass
class Plan:
    """A validated spec file: its sweep points (one when there is no sweep)."""

    source: str
    specs: list[ExperimentSpec]
    points: list[dict[str, Any]] = field(default_factory=list)  # the swept values per spec
    sweep_keys: list[str] = field(default_factory=list)
    # extra tags and params of each spec's run (a tuned spec's final runs: stage, tuned values)
    run_tags: list[dict[str, str]] = field(default_factory=list)
    run_params: list[dict[str, str]] = field(default_factory=list)

    @property
    def experiment_name(self) -> str:
        return self.specs[0].experiment_name


def spec_from_dict(data: dict[str, Any], source: str = "<spec>") -> ExperimentSpec:
    """Validate one mapping (schema + registries); raise MmbenchError with every problem."""
    spec, problems = None, []
    try:
        spec = ExperimentSpec.model_validate(data)
    except ValidationError as exc:
        problems = pydantic_problems(exc, source)
    problems += semantic_problems(spec, data, source)
    if problems:
        raise MmbenchError(problems)
    return spec


def load_plan(path: str | Path, overrides: Sequence[str] = ()) -> Plan:
    path = Path(path)
    source = str(path)
    raw = load_with_bases(path)
    sweep = raw.pop("sweep", None)
    problems = check_sweep_block(sweep, source)
    for text in overrides:
        key, value = parse_override(text)
        if key.startswith("sweep."):
            sweep = dict(sweep or {})
            sweep[key[len("sweep.") :]] = value if isinstance(value, list) else [value]
            problems += check_sweep_block({key[len("sweep.") :]: sweep[key[6:]]}, "--set")
            continue
        bad = check_key_path(key)
        if bad:
            problems.append(f"--set {key}: {bad}")
            continue
        set_dotted(raw, key, value)
    if problems:
        raise MmbenchError(problems)
    tune_block = check_tune_block(raw.get("tune"), sweep, source)
    points = expand_grid(sweep if isinstance(sweep, dict) else None, source)
    specs: list[ExperimentSpec] = []
    seen: dict[str, int] = {}
    for point in points:
        data = copy.deepcopy(raw)
        for key, value in point.items():
            set_dotted(data, key, value)
        where = source if not point else f"{source} [sweep {_point_label(point)}]"
        try:
            specs.append(spec_from_dict(data, where))
        except MmbenchError as exc:
            for line in exc.problems:
                # the same mistake in many points is reported once
                generic = line.replace(where, source)
                seen[generic] = seen.get(generic, 0) + 1
                if seen[generic] == 1:
                    problems.append(line)
    problems += tune_block
    if not problems and specs[0].tune is not None:  # candidate values fit every point
        for point, spec in zip(points, specs):
            data = copy.deepcopy(raw)
            for key, value in point.items():
                set_dotted(data, key, value)
            problems += [p for p in tune_value_problems(data, spec, source) if p not in problems]
    if not problems:
        hashes = [spec_hash(s) for s in specs]
        problems = duplicate_points(hashes, [_point_label(p) for p in points])
        problems = [f"{source}: {line}" for line in problems]
    if problems:
        raise MmbenchError(problems)
    return Plan(source=source, specs=specs, points=points, sweep_keys=list(sweep or {}))


def _point_label(point: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}={short_repr(v) if not isinstance(v, str) else v[:80]}" for k, v in point.items()
    )


def to_yaml(spec: ExperimentSpec) -> str:
    return yaml.safe_dump(spec.model_dump(mode="json"), sort_keys=False)


# keys added after runs were first stored, left out of the hash at their default (which
# behaves as before they existed), so existing stores keep recognising their finished runs
HASH_NEUTRAL_DEFAULTS = [("train", "on_nonfinite", "fail"), ("train", "precision", "32")]


def spec_hash(spec: ExperimentSpec) -> str:
    """Identity of a configuration: everything that changes results (not name, tracking or
    the report's baseline, or where it runs)."""
    # tune: is how values were chosen, not a value: trials and final runs carry tune=None
    exclude = {"name", "description", "tracking", "report", "execution", "tune"}
    data = spec.model_dump(mode="json", exclude=exclude)
    for section, key, default in HASH_NEUTRAL_DEFAULTS:
        if data.get(section, {}).get(key) == default:
            del data[section][key]
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
