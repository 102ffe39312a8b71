"""Tensor Fusion Network (TFN): outer product of modality vectors, each extended by 1."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions._common import check_modalities, fill_missing, mlp, pool, pooled_output
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, PROB, ranges
from mmbench.registry import FUSIONS


@FUSIONS.register("tensor")
@ranges(dim=DIM, proj_dim=(1, 64), hidden=DIM, dropout=PROB)
class TensorFusion(Fusion):
    """Tensor Fusion Network: the outer product of [zₘ; 1] over modalities, then an MLP.

    Zadeh, Chen, Poria, Cambria, Morency 2017, *Tensor Fusion Network for Multimodal
    Sentiment Analysis*, EMNLP. Appending 1 to each vector keeps every unimodal, bimodal and
    trimodal interaction term in the product.

    Each modality: masked max → zₘ = ReLU(Linear(·)) (B, P) with P = ``proj_dim``, zero when
    missing (then only its constant 1 remains, so the missing modality's terms vanish);
    fused = MLP(vec(⊗ₘ [zₘ; 1])) (B, 1, D), mask all True. The product has (P + 1)ᴹ entries,
    so at most 3 modalities are accepted (P = 8, M = 3: 729) and P should stay small.
    """

    max_modalities = 3

    def __init__(
        self,
        in_dims: dict[str, int],
        dim: int = 128,
        proj_dim: int = 8,
        hidden: int | None = None,
        dropout: float = 0.1,
    ):
        super().__init__()
        check_modalities(type(self), in_dims)
        self.in_dims = dict(in_dims)
        self.proj = nn.ModuleDict({m: nn.Linear(d, proj_dim) for m, d in in_dims.items()})
        size = (proj_dim + 1) ** len(in_dims)
        self.mlp = mlp(size, hidden or 2 * dim, dim, dropout)
        self.out_dim = dim
        self.product_size = size

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = fill_missing(feats, masks, self.in_dims)
        t: torch.Tensor | None = None
        for m, (vec, present) in pool(feats, masks).items():
            z = torch.relu(self.proj[m](vec)) * present.unsqueeze(1).to(vec.dtype)
            z = torch.cat([z, torch.ones_like(z[:, :1])], dim=1)  # (B, P + 1)
            t = z if t is None else (t.unsqueeze(2) * z.unsqueeze(1)).flatten(1)
        assert t is not None and t.shape[1] == self.product_size
        return pooled_output(self.mlp(t))
