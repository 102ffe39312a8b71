from __future__ import annotations

BASE = """
name: t
task: vqa
dataset: {name: shapes, kwargs: {n_train: 8, n_val: 4, n_test: 4}}
model:
  dim: 16
  encoders:
    image: {name: cnn}
    text: {name: gru}
  fusion: {name: concat}
train: {epochs: 1, batch_size: 4}
"""
