"""YAML loading: ``base:`` inheritance, dotted ``key=value`` overrides, ``sweep:`` blocks.

A spec file may say ``base: other.yaml`` (a path relative to the file, or a list of paths);
the base is loaded first (recursively) and the file's own keys are merged over it: mappings
merge key by key, everything else (lists included) replaces.
"""

from __future__ import annotations

import copy
import stat
from pathlib import Path
from typing import Any

from mmbench.errors import MmbenchError, short_repr
from mmbench.spec.yaml_read import YamlSyntaxError, parse_yaml, read_spec_bytes


def read_yaml(path: Path, what: str = "spec file") -> dict[str, Any]:
    """One spec file as a plain mapping (bounded and strict: see :mod:`mmbench.spec.yaml_read`)."""
    data = parse_yaml(read_spec_bytes(path, what), str(path))
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


MAX_BASE_FILES = 32  # files read for one spec through base: (a diamond is read once per path)


def load_with_bases(path: Path, _seen: tuple[Path, ...] = (), _count: list[int] | None = None):
    """The file's mapping with its ``base:`` chain resolved (``base`` itself removed)."""
    count = [0] if _count is None else _count
    count[0] += 1
    if count[0] > MAX_BASE_FILES:
        raise MmbenchError(
            f"{path}: base: more than {MAX_BASE_FILES} files are read through base: chains; "
            "flatten the inheritance"
        )
    shown = path if not _seen else path.resolve()  # the top file as the user named it
    path = path.resolve()
    if path in _seen:
        chain = " → ".join(str(p) for p in (*_seen, path))
        raise MmbenchError(f"{path}: base: inheritance cycle ({chain})")
    data = read_yaml(shown)
    bases = data.pop("base", None)
    if bases is None:
        return data
    if isinstance(bases, str):
        bases = [bases]
    if not isinstance(bases, list) or not bases or not all(isinstance(b, str) for b in bases):
        raise MmbenchError(
            f"{path}: base: expected a file path or a list of paths; found {short_repr(bases)}"
        )
    merged: dict[str, Any] = {}
    for base in bases:
        base_path = (path.parent / base).resolve()
        problem = base_file_problem(base_path)
        if problem:
            raise MmbenchError(f"{shown}: base: {short_repr(base)} {problem}")
        try:
            merged = deep_merge(merged, load_with_bases(base_path, (*_seen, path), count))
        except MmbenchError as exc:
            if _seen:
                raise
            # a problem inside a base file names that file; say which spec inherits it
            raise MmbenchError(
                [f"{line} (in a base: of {shown})" for line in exc.problems]
            ) from None
    return deep_merge(merged, data)


def base_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a base spec (missing, a directory, a device …), or None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"file not found (looked at {path})"
    except OSError as exc:
        return f"cannot be read ({exc.strerror}; looked at {path})"
    if stat.S_ISDIR(mode):
        return f"is a directory ({path}); expected a YAML spec file"
    if not stat.S_ISREG(mode):
        return (
            f"is not a regular file ({path}: a device, FIFO or socket); expected a YAML spec file"
        )
    return None


MAX_KEY_PARTS = 32  # dotted keys are a few parts; kwargs may nest a little


def parse_override(text: str) -> tuple[str, Any]:
    """``"model.fusion.name=film"`` → ``("model.fusion.name", "film")``; the value is YAML.

    The value is read like a spec file (bounded, finite numbers, plain data); text that is not
    YAML at all stays a string.
    """
    if "=" not in text:
        raise MmbenchError(
            f"--set {short_repr(text)}: expected KEY=VALUE with a dotted key, e.g. train.lr=3e-4"
        )
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key or any(not part for part in key.split(".")):
        raise MmbenchError(f"--set {short_repr(text)}: empty part in the dotted key {key!r}")
    if len(key.split(".")) > MAX_KEY_PARTS:
        raise MmbenchError(
            f"--set {short_repr(key)}: a dotted key of more than {MAX_KEY_PARTS} parts"
        )
    try:
        value = parse_yaml(raw, f"--set {key}") if raw.strip() else ""
    except YamlSyntaxError:
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
            raise MmbenchError(f"{key}: cannot set below {where}, which holds {short_repr(child)}")
        node = child
    node[parts[-1]] = copy.deepcopy(value)
