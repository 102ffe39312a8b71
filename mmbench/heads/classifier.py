"""Classifier head: masked mean over the fused sequence, then an MLP to logits."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions.base import masked_mean
from mmbench.heads.base import Head
from mmbench.registry import HEADS


@HEADS.register("classifier")
class ClassifierHead(Head):
    """Pool (masked mean over T) → MLP → logits (B, num_outputs)."""

    def __init__(self, in_dim: int, num_outputs: int, hidden: int = 256, dropout: float = 0.1):
        super().__init__()
        self.net = nn.Sequential(
            nn.LayerNorm(in_dim),
            nn.Linear(in_dim, hidden),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, num_outputs),
        )

    def forward(self, fused: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.net(masked_mean(fused, mask))  # (B, num_outputs)
