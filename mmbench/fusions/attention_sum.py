"""Attention-weighted sum over modalities."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions._common import fill_missing, mlp, pool, pooled_output
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, PROB, ranges
from mmbench.registry import FUSIONS


@FUSIONS.register("attention_sum")
@ranges(dim=DIM, hidden=DIM, dropout=PROB)
class AttentionSumFusion(Fusion):
    """Attention-weighted sum: learned softmax weights over modalities, per example.

    Modality attention of Hori, Hori, Lee, Zhang, Harsham, Hershey, Marks, Sumi 2017,
    *Attention-Based Multimodal Fusion for Video Description*, ICCV (there the query is the
    decoder state; here, with no query, a learned vector scores each modality's content).

    Each modality: masked max → cₘ = tanh(Linear(·)) (B, D); score sₘ = vᵀ tanh(U cₘ);
    α = softmax over the modalities present in the row; fused = MLP(Σₘ αₘ cₘ) (B, 1, D),
    mask all True. ``attention_weights`` holds the last α (B, M) for inspection.
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
        self.score = nn.Sequential(nn.Linear(dim, dim), nn.Tanh(), nn.Linear(dim, 1, bias=False))
        self.mlp = mlp(dim, hidden or 2 * dim, dim, dropout)
        self.out_dim = dim
        self.attention_weights: torch.Tensor | None = None

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = fill_missing(feats, masks, self.in_dims)
        pooled = pool(feats, masks)
        present = torch.stack([p for _, p in pooled.values()], 1)  # (B, M)
        c = torch.stack([torch.tanh(self.proj[m](v)) for m, (v, _) in pooled.items()], 1)
        c = c * present.unsqueeze(-1).to(c.dtype)  # (B, M, D), zero when missing
        scores = self.score(c).squeeze(-1).masked_fill(~present, torch.finfo(c.dtype).min)
        alpha = torch.softmax(scores, dim=1)  # a row with nothing present: uniform over zeros
        self.attention_weights = alpha.detach()
        return pooled_output(self.mlp((alpha.unsqueeze(-1) * c).sum(1)))
