"""Every YAML under experiments/ must validate (all sweep points)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmbench.spec import load_plan

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "experiments").rglob("*.yaml"))


def test_there_are_experiments():
    assert len(SPECS) >= 2


@pytest.mark.parametrize("path", SPECS, ids=[str(p.relative_to(ROOT)) for p in SPECS])
def test_experiment_validates(path):
    plan = load_plan(path)
    assert plan.specs
