"""Sweep labels are short and readable: a component by its name, a left-out input, an empty
mapping or list as ``none``, other mappings and lists compactly."""

from __future__ import annotations

from mmbench.spec import load_plan
from mmbench.sweeps.runner import point_label

SPEC = """
name: labels
task: vqa
dataset: {name: shapes, kwargs: {n_train: 8, n_val: 4, n_test: 4}}
model: {encoders: {image: {name: mlp}, text: {name: bow}}}
sweep:
  model.fusion.name: [concat, film]
  model.encoders.image: [{name: mlp}, null]
  train.corruptions:
    - {}
    - {image: [{name: gaussian_noise, levels: [0.1, 0.4], p: 0.5}, {name: blur, levels: [1]}]}
  train.seed: [0, 1]
"""


def test_labels_name_each_swept_value_compactly(write):
    plan = load_plan(write(SPEC))
    labels = {point_label(plan, i) for i in range(len(plan.specs))}
    assert "fusion=concat, image=mlp, corruptions=none" in labels
    assert "fusion=film, image=none, corruptions=image:gaussian_noise+blur" in labels
    assert len(labels) == 8  # the seed is not part of a label: 2 × 2 × 2 configurations
