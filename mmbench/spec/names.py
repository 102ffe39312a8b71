"""Names are data, never paths: the one rule for experiment and spec names.

A spec's ``name``, ``tracking.experiment`` and ``mmbench eval --log NAME`` become MLflow
experiment names *and* folder names (``reports/<experiment>/``, artifact folders), so they are
refused, not mapped, unless they are one safe path component: 1 to ``MAX_NAME`` characters from
``A-Z a-z 0-9 _ - .``, starting with a letter or a digit, without ``..``. That excludes path
separators, absolute paths, ``..``, leading dots (hidden files), spaces, control characters and
newlines, and Markdown or shell markup (``|``, ``#``, ``*``, ``$``). Refusing keeps the name the
user sees in MLflow identical to the folder name, with no two names mapped to one folder.
"""

from __future__ import annotations

import re
from typing import Any

MAX_NAME = 100
NAME_FORM = (
    f"1 to {MAX_NAME} characters from A-Z a-z 0-9 _ - . starting with a letter or a digit, "
    "without '..' (e.g. vqa_fusion_ablation)"
)
_ALLOWED = re.compile(r"[A-Za-z0-9_.\-]")


def name_problem(value: Any) -> str | None:
    """Why ``value`` is not a valid name (text without the key), or None when it is."""
    if not isinstance(value, str):
        return f"expected a string, found {type(value).__name__}; a name is {NAME_FORM}"
    reason = _reason(value)
    return (
        f"{reason}; a name is used as a folder name, so it must be {NAME_FORM}" if reason else None
    )


def _reason(value: str) -> str | None:
    if not value:
        return "is empty"
    if len(value) > MAX_NAME:
        return f"is {len(value):,} characters long"
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:[\\/]", value):
        return "is an absolute path"
    if ".." in value:
        return "contains '..'"
    bad = sorted({c for c in value if not _ALLOWED.fullmatch(c)})
    if bad:
        shown = ", ".join(repr(c) for c in bad[:8])
        return f"contains {shown}"
    if not value[0].isalnum():
        return f"starts with {value[0]!r}"
    return None


def check_name(value: Any) -> str:
    """``value`` if it is a valid name; else ``ValueError`` (for pydantic validators)."""
    problem = name_problem(value)
    if problem:
        raise ValueError(problem)
    return value
