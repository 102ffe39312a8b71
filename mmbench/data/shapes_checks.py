"""Validation of the ``shapes`` builder's kwargs: every problem reported at once."""

from __future__ import annotations

from typing import Any

from mmbench.data.vqa_questions import FAMILIES, RELATIONAL
from mmbench.errors import MmbenchError, short_repr
from mmbench.kwarg_checks import check_value
from mmbench.registry import did_you_mean

MAX_EXAMPLES = 1_000_000


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_int(problems: list[str], name: str, value: Any, lo: int, hi: int) -> bool:
    """Append a problem unless ``value`` is an int in [lo, hi]; True if it is."""
    return check_value(problems, f"dataset.kwargs.{name}", value, int, lo, hi)


def check_float(problems: list[str], name: str, value: Any, lo: float, hi: float) -> bool:
    return check_value(problems, f"dataset.kwargs.{name}", value, float, lo, hi)


def _check_families(problems: list[str], families: Any, relation_fraction: Any) -> None:
    if families is None:
        families = list(FAMILIES)
    elif not isinstance(families, (list, tuple)) or not families:
        problems.append(
            f"dataset.kwargs.families: {short_repr(families)} is not allowed; expected a non-empty "
            "list of "
            f"question families (available: {', '.join(FAMILIES)})"
        )
        return
    unknown = [f for f in families if f not in FAMILIES]
    for f in unknown[:5]:
        problems.append(
            f"dataset.kwargs.families: unknown question family {short_repr(f)}"
            f"{did_you_mean(str(f), list(FAMILIES))} (available: {', '.join(FAMILIES)})"
        )
    if len(set(map(str, families))) != len(families):
        problems.append(f"dataset.kwargs.families: {short_repr(families)} lists a family twice")
    if unknown or not _is_number(relation_fraction):
        return
    n_rel = sum(f in RELATIONAL for f in families)
    if relation_fraction > 0 and n_rel == 0:
        problems.append(
            f"dataset.kwargs.relation_fraction: {relation_fraction!r} but families has no "
            f"relational family ({', '.join(RELATIONAL)}); set it to 0 or add one"
        )
    if relation_fraction < 1 and n_rel == len(families):
        problems.append(
            f"dataset.kwargs.relation_fraction: {relation_fraction!r} but families holds only "
            f"relational families; set it to 1 or add another family"
        )


def check_shapes_kwargs(kw: dict) -> None:
    """Raise one ``MmbenchError`` listing every invalid kwarg of ``shapes``."""
    problems = shapes_kwargs_problems(kw)
    if problems:
        raise MmbenchError(problems)


def shapes_kwargs_problems(kw: dict) -> list[str]:
    """Every problem of the ``shapes`` builder's kwargs (the full mapping, defaults included)."""
    problems: list[str] = []
    check_int(problems, "n_train", kw["n_train"], 1, MAX_EXAMPLES)
    check_int(problems, "n_val", kw["n_val"], 1, MAX_EXAMPLES)
    check_int(problems, "n_test", kw["n_test"], 1, MAX_EXAMPLES)
    grid_ok = check_int(problems, "grid", kw["grid"], 2, 6)
    if check_int(problems, "canvas", kw["canvas"], 24, 128) and grid_ok:
        cell = kw["canvas"] // kw["grid"]
        if cell < 8:
            problems.append(
                f"dataset.kwargs.canvas: {kw['canvas']} gives cells of {cell} "
                f"pixels with grid {kw['grid']}; cells need at least 8 pixels "
                f"(canvas ≥ {8 * kw['grid']} or a smaller grid)"
            )
    cells = kw["grid"] ** 2 if grid_ok else 36
    lo_ok = check_int(problems, "min_objects", kw["min_objects"], 1, cells)
    hi_ok = check_int(problems, "max_objects", kw["max_objects"], 1, cells)
    if lo_ok and hi_ok and kw["min_objects"] > kw["max_objects"]:
        problems.append(
            f"dataset.kwargs.min_objects: {kw['min_objects']} is more than max_objects "
            f"{kw['max_objects']}"
        )
    hi = kw["max_objects"] if hi_ok else cells
    check_int(problems, "max_count", kw["max_count"], 1, hi)
    _check_families(problems, kw["families"], kw["relation_fraction"])
    check_float(problems, "relation_fraction", kw["relation_fraction"], 0.0, 1.0)
    check_float(problems, "distractors", kw["distractors"], 0.0, 1.0)
    check_float(problems, "noise", kw["noise"], 0.0, 64.0)
    check_int(problems, "colour_jitter", kw["colour_jitter"], 0, 40)
    check_float(problems, "annotator_error", kw["annotator_error"], 0.0, 0.3)
    check_float(problems, "contentious", kw["contentious"], 0.0, 0.5)
    check_value(problems, "dataset.kwargs.answer_variation", kw["answer_variation"], bool)
    check_int(problems, "seed", kw["seed"], 0, 2**63 - 1)
    return problems
