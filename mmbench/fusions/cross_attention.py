"""Directional cross-modal attention (MulT)."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions._common import (
    check_heads,
    ensure_valid,
    fill_missing,
    pick_primary,
    valid_primary,
)
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, LAYERS, N_HEADS, PROB, ranges
from mmbench.layers.attention import AttentionBlock
from mmbench.registry import FUSIONS


@FUSIONS.register("cross_attention")
@ranges(dim=DIM, layers=LAYERS, self_layers=(0, 64), heads=N_HEADS, dropout=PROB)
class CrossAttentionFusion(Fusion):
    """Directional cross-modal transformer: each modality's sequence attends to each other's.

    Tsai, Bai, Liang, Kolter, Morency, Salakhutdinov 2019, *Multimodal Transformer for
    Unaligned Multimodal Language Sequences* (MulT), ACL.

    Each modality i is projected to D; for every other modality j a stack of ``layers``
    cross-modal blocks (queries from i, keys/values from j, pre-LN, residual) gives
    Z_{j→i} (B, Tᵢ, D); the Z_{j→i} are concatenated over j, projected to D and passed
    through ``self_layers`` self-attention blocks. Keys carry a learned null token, so a
    missing source is attended to as "nothing" and never yields NaN.

    Output: with ``primary`` set, that modality's stream (B, Tₚ, D) and mask (its time axis
    kept, for CTC-like heads); otherwise all streams concatenated along time
    (B, ΣTᵢ, D) with their masks. One modality: self-attention only.
    """

    def __init__(
        self,
        in_dims: dict[str, int],
        dim: int = 128,
        primary: str | None = None,
        layers: int = 1,
        self_layers: int = 1,
        heads: int = 4,
        dropout: float = 0.1,
    ):
        super().__init__()
        check_heads(dim, heads)
        self.in_dims = dict(in_dims)
        self.primary = None if primary is None else pick_primary(in_dims, primary, None)
        self.targets = [self.primary] if self.primary else list(in_dims)
        self.proj = nn.ModuleDict({m: nn.Linear(d, dim) for m, d in in_dims.items()})

        def stack(n: int, cross: bool) -> nn.ModuleList:
            return nn.ModuleList(
                AttentionBlock(dim, heads, dropout=dropout, cross=cross) for _ in range(n)
            )

        self.cross = nn.ModuleDict(
            {f"{j}_to_{i}": stack(layers, True) for i in self.targets for j in in_dims if j != i}
        )
        n_src = len(in_dims) - 1
        self.merge = nn.ModuleDict(
            {i: nn.Linear(n_src * dim, dim) if n_src > 1 else nn.Identity() for i in self.targets}
        )
        self.self_attn = nn.ModuleDict({i: stack(self_layers, False) for i in self.targets})
        self.out_dim = dim

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = fill_missing(feats, masks, self.in_dims)
        if self.primary is not None:
            feats, masks = valid_primary(feats, masks, self.primary)
        h = {m: self.proj[m](x) for m, x in feats.items()}  # (B, Tₘ, D)
        outs, out_masks = [], []
        for i in self.targets:
            zs = []
            for j in self.in_dims:
                if j == i:
                    continue
                z = h[i]
                for block in self.cross[f"{j}_to_{i}"]:
                    z = block(z, masks[i], h[j], masks[j])
                zs.append(z)
            z = self.merge[i](torch.cat(zs, dim=-1)) if zs else h[i]
            for block in self.self_attn[i]:
                z = block(z, masks[i])
            outs.append(z)
            out_masks.append(masks[i])
        fused, mask = torch.cat(outs, dim=1), ensure_valid(torch.cat(out_masks, dim=1))
        return fused, mask
