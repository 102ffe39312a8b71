"""The head contract: fused (B, T, D) + mask (B, T) → task outputs.

Constructor: ``__init__(self, in_dim: int, num_outputs: int, **own_kwargs)``; build.py passes
the fusion's ``out_dim`` and the size the task derives from the data (e.g. answer vocabulary).
"""

from __future__ import annotations

import torch
from torch import nn


class Head(nn.Module):
    def forward(self, fused: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
