"""Contract over every registered component that a spec configures: its keyword values are
declared (type hints + ``@ranges``) so ``mmbench validate`` can check them."""

from __future__ import annotations

import inspect

import pytest

from mmbench.kwarg_checks import kwargs_problems, matches, numeric_kwargs
from mmbench.registry import DATASETS, ENCODERS, FUSIONS, HEADS, HIDDEN_ARGS

COMPONENTS = [
    (registry, name)
    for registry in (ENCODERS, FUSIONS, HEADS, DATASETS)
    for name in registry.names()
]
IDS = [f"{registry.kind}:{name}" for registry, name in COMPONENTS]


def _defaults(factory) -> dict:
    fn = factory.__init__ if inspect.isclass(factory) else factory
    return {
        n: p.default
        for n, p in inspect.signature(fn).parameters.items()
        if p.default is not inspect.Parameter.empty and n not in HIDDEN_ARGS
    }


@pytest.mark.parametrize("registry, name", COMPONENTS, ids=IDS)
def test_every_numeric_kwarg_has_a_declared_range(registry, name):
    factory = registry.get(name)
    table = getattr(factory, "kwarg_ranges", {})
    hook = getattr(factory, "check_kwargs", None)
    missing = [k for k in numeric_kwargs(factory) if k not in table and k not in HIDDEN_ARGS]
    assert hook is not None or not missing, f"{name}: declare @ranges for {missing}"
    assert set(table) <= set(_defaults(factory)), f"{name}: @ranges names unknown kwargs"


@pytest.mark.parametrize("registry, name", COMPONENTS, ids=IDS)
def test_defaults_pass_their_own_checks(registry, name):
    factory = registry.get(name)
    assert kwargs_problems(factory, _defaults(factory), "x.kwargs") == []


@pytest.mark.parametrize("registry, name", COMPONENTS, ids=IDS)
def test_a_boolean_is_never_taken_for_a_number(registry, name):
    factory = registry.get(name)
    for kwarg in numeric_kwargs(factory):
        problems = kwargs_problems(factory, {kwarg: True}, "x.kwargs")
        assert problems and problems[0].startswith(f"x.kwargs.{kwarg}: True is not allowed")


def test_matches_is_strict_about_kinds():
    assert matches(3, int) and not matches(True, int) and not matches(3.0, int)
    assert matches(3, float) and not matches(float("inf"), float) and not matches("3", float)
    assert matches([1, 2], tuple[int, int]) and not matches([1, 2, 3], tuple[int, int])
    assert matches(None, int | None) and matches(["a"], list[str] | None)
    assert not matches([1, True], list[int])
