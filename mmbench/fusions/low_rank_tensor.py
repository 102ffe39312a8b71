"""Low-rank Multimodal Fusion (LMF): TFN's weight tensor in rank-r factors."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions._common import fill_missing, pool, pooled_output
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, ranges
from mmbench.registry import FUSIONS


@FUSIONS.register("low_rank_tensor")
@ranges(dim=DIM, rank=(1, 256))
class LowRankTensorFusion(Fusion):
    """Low-rank Multimodal Fusion: TFN without building the tensor, via modality-specific factors.

    Liu, Shen, Lakshminarasimhan, Liang, Zadeh, Morency 2018, *Efficient Low-rank Multimodal
    Fusion with Modality-Specific Factors*, ACL. With ẑₘ = [zₘ; 1] (zₘ the masked max,
    zero when missing) and factors Wₘ⁽ⁱ⁾ ∈ ℝ^{(Dₘ+1)×D}, i = 1…r:
    h = Σᵢ λᵢ ∏ₘ (ẑₘ Wₘ⁽ⁱ⁾) + b, which equals a TFN whose weight tensor has rank r, at cost
    linear in the number of modalities (no modality limit). Output (B, 1, D), mask all True.
    """

    def __init__(self, in_dims: dict[str, int], dim: int = 128, rank: int = 4):
        super().__init__()
        self.in_dims = dict(in_dims)
        self.factors = nn.ParameterDict(
            {m: nn.Parameter(torch.empty(rank, d + 1, dim)) for m, d in in_dims.items()}
        )
        self.rank_weights = nn.Parameter(torch.empty(1, rank))
        self.bias = nn.Parameter(torch.zeros(dim))
        for p in self.factors.values():
            nn.init.xavier_normal_(p)
        nn.init.xavier_normal_(self.rank_weights)
        self.out_dim = dim

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = fill_missing(feats, masks, self.in_dims)
        prod: torch.Tensor | None = None
        for m, (vec, present) in pool(feats, masks).items():
            z = vec * present.unsqueeze(1).to(vec.dtype)
            z = torch.cat([z, torch.ones_like(z[:, :1])], dim=1)  # (B, Dₘ + 1)
            f = torch.einsum("bd,rdo->bro", z, self.factors[m])  # (B, r, D)
            prod = f if prod is None else prod * f
        assert prod is not None
        fused = torch.einsum("xr,bro->bo", self.rank_weights, prod) + self.bias
        return pooled_output(fused)
