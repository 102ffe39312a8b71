"""Flamingo-style gated cross-attention from a primary stream to the other modalities."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions._common import check_heads, fill_missing, pick_primary, valid_primary
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, LAYERS, N_HEADS, PROB, ranges
from mmbench.layers.attention import AttentionBlock
from mmbench.registry import FUSIONS


@FUSIONS.register("gated_cross_attention")
@ranges(dim=DIM, layers=LAYERS, heads=N_HEADS, dropout=PROB)
class GatedCrossAttentionFusion(Fusion):
    """Gated cross-attention: tanh-gated, zero-initialised cross-attention layers (Flamingo).

    Alayrac et al. 2022, *Flamingo: a Visual Language Model for Few-Shot Learning*, NeurIPS.
    Each of ``layers`` layers is a GATED XATTN-DENSE block — y += tanh(α) · xattn(y, context);
    y += tanh(β) · FF(y), with α = β = 0 at initialisation — followed by a self-attention
    block over the primary stream (Flamingo's language-model layer; trained here, not frozen).
    At initialisation the output therefore ignores the context entirely. The Perceiver
    resampler is omitted: the context is the other modalities' projected tokens, each with a
    learned modality embedding.

    Output keeps the primary's time axis: (B, Tₚ, D) with its mask. Default primary: the
    first modality not named "image" (the language stream), else the first.
    """

    def __init__(
        self,
        in_dims: dict[str, int],
        dim: int = 128,
        primary: str | None = None,
        layers: int = 2,
        heads: int = 4,
        dropout: float = 0.1,
    ):
        super().__init__()
        check_heads(dim, heads)
        self.in_dims = dict(in_dims)
        language = next((m for m in in_dims if m != "image"), None)
        self.primary = pick_primary(in_dims, primary, default=language)
        self.others = [m for m in in_dims if m != self.primary]
        self.proj = nn.ModuleDict({m: nn.Linear(d, dim) for m, d in in_dims.items()})
        self.modality = nn.ParameterDict(
            {m: nn.Parameter(0.02 * torch.randn(dim)) for m in self.others}
        )
        self.xattn = nn.ModuleList(
            AttentionBlock(dim, heads, dropout=dropout, cross=True, gated=True)
            for _ in range(layers if self.others else 0)
        )
        self.self_attn = nn.ModuleList(
            AttentionBlock(dim, heads, dropout=dropout) for _ in range(layers)
        )
        self.out_dim = dim

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = valid_primary(*fill_missing(feats, masks, self.in_dims), self.primary)
        mask = masks[self.primary]
        y = self.proj[self.primary](feats[self.primary])  # (B, Tₚ, D)
        context = context_mask = None
        if self.others:
            context = torch.cat([self.proj[m](feats[m]) + self.modality[m] for m in self.others], 1)
            context_mask = torch.cat([masks[m] for m in self.others], 1)
        for i, block in enumerate(self.self_attn):
            if context is not None:
                y = self.xattn[i](y, mask, context, context_mask)
            y = block(y, mask)
        return y, mask
