"""YAML loading: ``base:`` inheritance, dotted ``key=value`` overrides, ``sweep:`` blocks.

A spec file may say ``base: other.yaml`` (a path relative to the file, or a list of paths);
the base is loaded first (recursively) and the file's own keys are merged over it: mappings
merge key by key, everything else (lists included) replaces.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from mmbench.errors import MmbenchError


def read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise MmbenchError(f"{path}: spec file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MmbenchError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise MmbenchError(f"{path}: invalid YAML{where}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MmbenchError(
            f"{path}: a spec must be a YAML mapping (name:, task:, …); found {type(data).__name__}"
        )
    return data


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` merged onto a copy of ``base``; mappings merge, other values replace."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_with_bases(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's mapping with its ``base:`` chain resolved (``base`` itself removed)."""
    path = path.resolve()
    if path in _seen:
        chain = " → ".join(str(p) for p in (*_seen, path))
        raise MmbenchError(f"{path}: base: inheritance cycle ({chain})")
    data = read_yaml(path)
    bases = data.pop("base", None)
    if bases is None:
        return data
    if isinstance(bases, str):
        bases = [bases]
    if not isinstance(bases, list) or not all(isinstance(b, str) for b in bases):
        raise MmbenchError(
            f"{path}: base: expected a file path or a list of paths; found {bases!r}"
        )
    merged: dict[str, Any] = {}
    for base in bases:
        base_path = (path.parent / base).resolve()
        if not base_path.exists():
            raise MmbenchError(f"{path}: base: file not found: {base} (looked at {base_path})")
        merged = deep_merge(merged, load_with_bases(base_path, (*_seen, path)))
    return deep_merge(merged, data)


def parse_override(text: str) -> tuple[str, Any]:
    """``"model.fusion.name=film"`` → ``("model.fusion.name", "film")``; the value is YAML."""
    if "=" not in text:
        raise MmbenchError(
            f"--set {text!r}: expected KEY=VALUE with a dotted key, e.g. train.lr=3e-4"
        )
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key or any(not part for part in key.split(".")):
        raise MmbenchError(f"--set {text!r}: empty part in the dotted key {key!r}")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key, value


def set_dotted(data: dict[str, Any], key: str, value: Any) -> None:
    """Set ``a.b.c`` in nested dicts, creating mappings on the way."""
    parts = key.split(".")
    node = data
    for i, part in enumerate(parts[:-1]):
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        if not isinstance(child, dict):
            where = ".".join(parts[: i + 1])
            raise MmbenchError(f"{key}: cannot set below {where}, which holds {child!r}")
        node = child
    node[parts[-1]] = copy.deepcopy(value)
