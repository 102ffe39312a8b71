"""Spec loading: inheritance, overrides, sweeps, and the hash that identifies a run."""

from __future__ import annotations

import pytest

from mmbench.errors import MmbenchError
from mmbench.spec import load_plan, spec_hash
from tests.spec.helpers import BASE


def test_minimal_spec_gets_defaults(write):
    plan = load_plan(write(BASE))
    (spec,) = plan.specs
    assert spec.train.optimizer == "adamw"
    assert spec.model.head.name == "classifier"
    assert spec.experiment_name == "t"


def test_base_inheritance_merges_mappings_and_replaces_lists(write):
    write(BASE, "base.yaml")
    path = write(
        "base: base.yaml\nname: child\nmodel: {fusion: {name: film}}\neval: {metrics: [vqa_acc]}\n"
    )
    (spec,) = load_plan(path).specs
    assert spec.name == "child"
    assert spec.model.fusion.name == "film"
    assert spec.model.encoders["text"].name == "gru"  # inherited beside the override
    assert spec.eval.metrics == ["vqa_acc"]


def test_base_cycle_is_reported(write):
    write("base: b.yaml\n", "a.yaml")
    write("base: a.yaml\n", "b.yaml")
    with pytest.raises(MmbenchError, match="inheritance cycle"):
        load_plan(write("base: a.yaml\n", "c.yaml"))


def test_dotted_overrides_parse_yaml_values(write):
    path = write(BASE)
    (spec,) = load_plan(
        path, ["model.fusion.name=film", "train.lr=3e-4", "model.fusion.kwargs.blocks=3"]
    ).specs
    assert spec.model.fusion.name == "film"
    assert spec.train.lr == pytest.approx(3e-4)
    assert spec.model.fusion.kwargs == {"blocks": 3}


def test_sweep_expands_the_grid_in_order(write):
    path = write(BASE + "sweep:\n  model.fusion.name: [concat, film]\n  train.seed: [0, 1, 2]\n")
    plan = load_plan(path)
    assert len(plan.specs) == 6
    assert [s.train.seed for s in plan.specs[:3]] == [0, 1, 2]
    assert [s.model.fusion.name for s in plan.specs[::3]] == ["concat", "film"]
    assert plan.sweep_keys == ["model.fusion.name", "train.seed"]
    assert len({spec_hash(s) for s in plan.specs}) == 6


def test_sweep_from_command_line(write):
    plan = load_plan(write(BASE), ["sweep.train.seed=[3, 4]"])
    assert [s.train.seed for s in plan.specs] == [3, 4]


def test_spec_hash_ignores_name_and_tracking_but_not_config(write):
    (a,) = load_plan(write(BASE)).specs
    (b,) = load_plan(write(BASE), ["name=other", "tracking.experiment=x"]).specs
    (c,) = load_plan(write(BASE), ["train.lr=0.5"]).specs
    assert spec_hash(a) == spec_hash(b)
    assert spec_hash(a) != spec_hash(c)


def test_null_encoder_leaves_an_input_out_for_unimodal_baselines(write):
    write(BASE, "base.yaml")
    (spec,) = load_plan(write("base: base.yaml\nmodel: {encoders: {text: null}}\n")).specs
    assert list(spec.model.encoders) == ["image"]
    plan = load_plan(write(BASE), ["sweep.model.encoders.image=[null, {name: cnn}]"])
    assert [list(s.model.encoders) for s in plan.specs] == [["text"], ["image", "text"]]
