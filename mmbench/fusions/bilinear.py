"""Low-rank bilinear pooling (MLB / MFB) with sum pooling over the factor dimension."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions._common import fill_missing, pool, pooled_output
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, PROB, ranges
from mmbench.registry import FUSIONS


@FUSIONS.register("bilinear")
@ranges(dim=DIM, factors=(1, 64), dropout=PROB)
class BilinearFusion(Fusion):
    """Low-rank bilinear pooling: Hadamard product of projections, sum-pooled over k factors.

    Multimodal Factorized Bilinear pooling (MFB) of Yu, Yu, Fan, Tao 2017, *Multi-modal
    Factorized Bilinear Pooling with Co-Attention Learning for Visual Question Answering*,
    ICCV, generalising the low-rank bilinear (MLB) pooling of Kim, On, Lim, Kim, Ha, Zhang
    2017, *Hadamard Product for Low-rank Bilinear Pooling*, ICLR (k = 1).

    Each modality: masked max xₘ → Uₘ xₘ (B, k·D); z = dropout(∏ₘ Uₘ xₘ) → reshape (B, D, k)
    → sum over k → power normalisation sign(z)·√|z| → L2 normalisation (``normalize``).
    With more than two modalities the product is multilinear; a missing modality contributes
    the multiplicative identity (ones), so the others pass through. Output (B, 1, D), mask True.
    """

    def __init__(
        self,
        in_dims: dict[str, int],
        dim: int = 128,
        factors: int = 5,
        dropout: float = 0.1,
        normalize: bool = True,
    ):
        super().__init__()
        self.in_dims = dict(in_dims)
        self.k = factors
        self.proj = nn.ModuleDict({m: nn.Linear(d, factors * dim) for m, d in in_dims.items()})
        self.drop = nn.Dropout(dropout)
        self.normalize = normalize
        self.out_dim = dim

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = fill_missing(feats, masks, self.in_dims)
        joint: torch.Tensor | None = None
        for m, (vec, present) in pool(feats, masks).items():
            u = self.proj[m](vec)  # (B, k·D)
            u = torch.where(present.unsqueeze(1), u, torch.ones_like(u))
            joint = u if joint is None else joint * u
        assert joint is not None
        z = self.drop(joint).view(joint.shape[0], self.out_dim, self.k).sum(-1)  # (B, D)
        if self.normalize:
            z = torch.sign(z) * torch.sqrt(z.abs() + 1e-8)  # finite gradient at 0
            z = nn.functional.normalize(z, dim=1)
        return pooled_output(z)
