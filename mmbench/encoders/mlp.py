"""Image encoder: an MLP over flattened pixels."""

from __future__ import annotations

import math

import torch
from torch import nn

from mmbench.encoders.base import Encoder, ModalityInput, full_mask
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import DIM, PROB, ranges
from mmbench.registry import ENCODERS


@ENCODERS.register("mlp")
@ranges(dim=DIM, hidden=DIM, dropout=PROB)
class MlpEncoder(Encoder):
    """MLP over flattened pixels: the no-spatial-prior image baseline.

    Input (B, C, H, W) → flatten (B, C·H·W) → Linear → ReLU → Dropout → Linear → feats
    (B, 1, D), all-True mask. The input size is fixed by ``inp.shape``.
    """

    kind = "image"

    def __init__(self, inp: ModalityInput, dim: int = 128, hidden: int = 256, dropout: float = 0.1):
        super().__init__()
        if len(inp.shape) != 3:
            raise MmbenchError(f"encoder 'mlp' needs an image shape (C, H, W), got {inp.shape}")
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(math.prod(inp.shape), hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, dim),
        )
        self.out_dim = dim

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats = self.net(x).unsqueeze(1)  # (B, 1, D)
        return feats, full_mask(feats)
