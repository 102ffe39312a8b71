"""Optimiser and learning-rate schedule (linear warm-up, then cosine / linear / constant)."""

from __future__ import annotations

import math

import torch

from mmbench.spec.schema import TrainSpec


def make_optimizer(params, train: TrainSpec) -> torch.optim.Optimizer:
    params = [p for p in params if p.requires_grad]
    if train.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=train.lr, weight_decay=train.weight_decay)
    if train.optimizer == "adam":
        return torch.optim.Adam(params, lr=train.lr, weight_decay=train.weight_decay)
    return torch.optim.SGD(params, lr=train.lr, momentum=0.9, weight_decay=train.weight_decay)


def lr_factor(step: int, total: int, warmup: int, schedule: str) -> float:
    """Multiplier of the base lr at optimiser step ``step`` (0-based) of ``total``."""
    if warmup > 0 and step < warmup:
        return (step + 1) / warmup
    if schedule == "constant":
        return 1.0
    progress = (step - warmup) / max(1, total - warmup)
    progress = min(max(progress, 0.0), 1.0)
    if schedule == "linear":
        return 1.0 - progress
    return 0.5 * (1.0 + math.cos(math.pi * progress))


def make_scheduler(opt: torch.optim.Optimizer, train: TrainSpec, total_steps: int):
    warmup = int(train.warmup_frac * total_steps)
    return torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: lr_factor(s, total_steps, warmup, train.schedule)
    )
