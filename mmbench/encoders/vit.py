"""Image encoder: a small Vision Transformer over patches."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.encoders.base import Encoder, ModalityInput, full_mask
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import DIM, LAYERS, N_HEADS, PROB, ranges
from mmbench.layers.attention import AttentionBlock
from mmbench.registry import ENCODERS


@ENCODERS.register("vit")
@ranges(dim=DIM, patch=(1, 512), layers=LAYERS, heads=N_HEADS, dropout=PROB)
class VitEncoder(Encoder):
    """Vision Transformer: non-overlapping patches, learned positions, pre-LN blocks.

    Dosovitskiy et al. 2021, *An Image is Worth 16x16 Words*, ICLR. Input (B, C, H, W) →
    patches of ``patch``×``patch`` pixels, linearly embedded (a strided conv) → + learned
    position embedding → ``layers`` self-attention blocks → LayerNorm → feats
    (B, (H/p)·(W/p), D), all-True mask. H and W must be multiples of ``patch``.
    """

    kind = "image"

    def __init__(
        self,
        inp: ModalityInput,
        dim: int = 128,
        patch: int = 4,
        layers: int = 2,
        heads: int = 4,
        dropout: float = 0.1,
    ):
        super().__init__()
        if len(inp.shape) != 3:
            raise MmbenchError(f"encoder 'vit' needs an image shape (C, H, W), got {inp.shape}")
        c, h, w = inp.shape
        if patch < 1 or h % patch or w % patch:
            raise MmbenchError(f"encoder kwargs: patch: {patch} must divide the image size {h}×{w}")
        if heads < 1 or dim % heads:
            raise MmbenchError(f"encoder kwargs: heads: {heads} must divide model.dim ({dim})")
        self.embed = nn.Conv2d(c, dim, patch, stride=patch)
        self.pos = nn.Parameter(0.02 * torch.randn(1, (h // patch) * (w // patch), dim))
        self.blocks = nn.ModuleList(
            AttentionBlock(dim, heads, dropout=dropout) for _ in range(layers)
        )
        self.norm = nn.LayerNorm(dim)
        self.out_dim = dim

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats = self.embed(x).flatten(2).transpose(1, 2) + self.pos  # (B, N, D)
        mask = full_mask(feats)
        for block in self.blocks:
            feats = block(feats, mask)
        return self.norm(feats), mask
