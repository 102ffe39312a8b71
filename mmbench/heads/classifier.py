"""Classifier head: masked mean over the fused sequence, then an MLP to logits."""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

from mmbench.errors import MmbenchError
from mmbench.heads.base import Head
from mmbench.kwarg_checks import DIM, PROB, ranges
from mmbench.layers.pooling import masked_max, masked_mean
from mmbench.registry import HEADS


@HEADS.register("classifier")
@ranges(hidden=DIM, dropout=PROB)
class ClassifierHead(Head):
    """Pool over T (masked max, or mean) → MLP → logits (B, num_outputs).

    ``pool: max`` follows FiLM's classifier (global max-pooling over the feature map), which
    keeps a detector's response to one object instead of averaging it over the scene.
    """

    def __init__(
        self,
        in_dim: int,
        num_outputs: int,
        hidden: int = 256,
        dropout: float = 0.1,
        pool: Literal["mean", "max"] = "max",
    ):
        super().__init__()
        if pool not in ("mean", "max"):
            raise MmbenchError(f"model.head.kwargs.pool: '{pool}' is not one of 'mean', 'max'")
        self.pool = pool
        self.net = nn.Sequential(
            nn.LayerNorm(in_dim),
            nn.Linear(in_dim, hidden),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, num_outputs),
        )

    def forward(self, fused: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        if self.pool == "max":
            pooled = masked_max(fused, mask)  # (B, D)
        else:
            pooled = masked_mean(fused, mask)  # (B, D)
        return self.net(pooled)  # (B, num_outputs)
