"""Every registered corruption: seeded determinism, the clean level returns the input itself,
the stated amount measured back, shape and dtype (or type) preserved, others left untouched."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mmbench.registry import CORRUPTIONS

NAMES = CORRUPTIONS.names()


def make(name):
    return CORRUPTIONS.get(name)()


def same(a, b) -> bool:
    if isinstance(a, str):
        return a == b
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)


def test_every_family_is_registered():
    kinds = {CORRUPTIONS.get(n).kind for n in NAMES}
    assert kinds == {"image", "text", "audio"}
    assert len(NAMES) >= 13


@pytest.mark.parametrize("name", NAMES)
def test_clean_level_returns_the_input_itself(name):
    c = make(name)
    x, others = c.probe(np.random.default_rng(0))
    assert c(x, c.clean_level, np.random.default_rng(1), others) is x
    assert c.level_problem(c.clean_level) is None


@pytest.mark.parametrize("name", NAMES)
def test_seeded_determinism_and_seed_dependence(name):
    c = make(name)
    x, others = c.probe(np.random.default_rng(0))
    level = c.example_levels[-1]
    a = c(x, level, np.random.default_rng(7), others)
    b = c(x, level, np.random.default_rng(7), others)
    assert same(a, b)
    outs = [c(x, level, np.random.default_rng(s), others) for s in range(8, 12)]
    if name not in ("brightness", "contrast", "blur", "resample"):  # deterministic by nature
        assert not all(same(o, outs[0]) for o in outs[1:]), "the seed changes nothing"


@pytest.mark.parametrize("name", NAMES)
def test_stated_amount_is_measured_back(name):
    c = make(name)
    assert c.example_levels, "a corruption states levels for its contract test"
    for level in c.example_levels:
        x, others = c.probe(np.random.default_rng(0))
        before = copy.deepcopy(x)
        y = c(x, level, np.random.default_rng(3), others)
        assert same(x, before), "the input was modified in place"
        assert not same(x, y), f"level {level} changed nothing"
        measured = c.measure(x, y)
        assert c.agrees(measured, level), f"{name} at {level}: measured {measured}"
        if isinstance(x, str):
            assert isinstance(y, str)
        else:
            assert y.shape == x.shape and y.dtype == x.dtype


@pytest.mark.parametrize("name", NAMES)
def test_levels_out_of_range_are_named(name):
    c = make(name)
    assert c.level_problem(float("nan")) is not None
    if np.isfinite(c.high):
        assert name in (c.level_problem(c.high + 1) or "")
