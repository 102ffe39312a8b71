"""Gated Multimodal Unit (GMU)."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions._common import fill_missing, pool, pooled_output
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, ranges
from mmbench.registry import FUSIONS


@FUSIONS.register("gated")
@ranges(dim=DIM)
class GatedFusion(Fusion):
    """Gated Multimodal Unit: sigmoid gates, computed from all modalities, mix tanh features.

    Arevalo, Solorio, Montes-y-Gómez, González 2017, *Gated Multimodal Units for Information
    Fusion*, ICLR workshop. With xₘ the pooled (masked-mean) modality vectors:
    hₘ = tanh(Wₘ xₘ); for two modalities z = σ(W_z [x₁; x₂]) and h = z ⊙ h₁ + (1 − z) ⊙ h₂
    (the paper's bimodal unit); for M ≠ 2, zₘ = σ(W_zₘ [x₁; …; x_M]) and h = Σₘ zₘ ⊙ hₘ (its
    multimodal form). A missing modality has xₘ = 0 and hₘ = 0. Output (B, 1, D), mask True.
    """

    def __init__(self, in_dims: dict[str, int], dim: int = 128):
        super().__init__()
        self.in_dims = dict(in_dims)
        self.hidden = nn.ModuleDict({m: nn.Linear(d, dim, bias=False) for m, d in in_dims.items()})
        n_gates = 1 if len(in_dims) == 2 else len(in_dims)
        self.gate = nn.Linear(sum(in_dims.values()), n_gates * dim)
        self.out_dim = dim

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = fill_missing(feats, masks, self.in_dims)
        pooled = pool(feats, masks)
        xs = [v * p.unsqueeze(1).to(v.dtype) for v, p in pooled.values()]
        hs = [torch.tanh(self.hidden[m](x)) for m, x in zip(pooled, xs)]  # (B, D) each
        z = torch.sigmoid(self.gate(torch.cat(xs, 1)))
        if len(hs) == 2:
            return pooled_output(z * hs[0] + (1 - z) * hs[1])
        zs = z.chunk(len(hs), dim=1)
        return pooled_output(sum(zm * hm for zm, hm in zip(zs, hs)))
