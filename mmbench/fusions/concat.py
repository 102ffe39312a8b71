"""Early fusion by concatenation of pooled, projected modality vectors."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions._common import fill_missing, mlp, pool, pooled_output
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, PROB, ranges
from mmbench.registry import FUSIONS


@FUSIONS.register("concat")
@ranges(dim=DIM, hidden=DIM, dropout=PROB)
class ConcatFusion(Fusion):
    """Early fusion: pool each modality, project, concatenate, MLP → one vector.

    The classic concatenation baseline (e.g. the "early fusion" of Baltrušaitis et al. 2019,
    *Multimodal Machine Learning: A Survey and Taxonomy*, TPAMI).

    feats {m: (B, Tₘ, Dₘ)} → masked max (B, Dₘ) → Linear → (B, D) each, zero when the
    modality is missing → concat (B, M·D) → MLP → fused (B, 1, D), mask all True.
    """

    def __init__(
        self,
        in_dims: dict[str, int],
        dim: int = 128,
        hidden: int | None = None,
        dropout: float = 0.1,
    ):
        super().__init__()
        self.in_dims = dict(in_dims)
        self.proj = nn.ModuleDict({m: nn.Linear(d, dim) for m, d in in_dims.items()})
        self.mlp = mlp(len(in_dims) * dim, hidden or 2 * dim, dim, dropout)
        self.out_dim = dim

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = fill_missing(feats, masks, self.in_dims)
        parts = [
            self.proj[m](vec) * present.unsqueeze(1).to(vec.dtype)
            for m, (vec, present) in pool(feats, masks).items()
        ]
        return pooled_output(self.mlp(torch.cat(parts, dim=1)))
