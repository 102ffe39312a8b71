"""Late fusion: per-modality branches whose outputs are averaged."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.errors import MmbenchError
from mmbench.fusions._common import fill_missing, mlp, pool, pooled_output
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, PROB, ranges
from mmbench.registry import FUSIONS


@FUSIONS.register("late")
@ranges(dim=DIM, hidden=DIM, dropout=PROB)
class LateFusion(Fusion):
    """Late fusion: one MLP branch per modality, outputs averaged over the present modalities.

    Snoek, Worring, Smeulders 2005, *Early versus Late Fusion in Semantic Video Analysis*,
    ACM Multimedia. Each modality is pooled (masked max) and mapped by its own branch
    Linear → ReLU → Linear to zₘ (B, D); the output is Σₘ wₘ zₘ with weights renormalised
    over the modalities present in each row (``weights="mean"``: equal; ``"learned"``: a
    softmax over learned logits). Output (B, 1, D), mask all True.

    Why this is late fusion within the one-interface design: the branch ends in a linear
    layer and the classifier head W·(·) + b is linear, and Σₘ wₘ = 1, so
    W(Σₘ wₘ zₘ) + b = Σₘ wₘ (W zₘ + b): the prediction is the weighted average of per-modality
    classifiers' logits (classifiers that share their last layer). A missing modality simply
    drops out of the average.
    """

    def __init__(
        self,
        in_dims: dict[str, int],
        dim: int = 128,
        hidden: int | None = None,
        weights: str = "mean",
        dropout: float = 0.1,
    ):
        super().__init__()
        if weights not in ("mean", "learned"):
            raise MmbenchError(f"fusion kwargs: weights: '{weights}' is not 'mean' or 'learned'")
        self.in_dims = dict(in_dims)
        self.branches = nn.ModuleDict(
            {m: mlp(d, hidden or 2 * dim, dim, dropout) for m, d in in_dims.items()}
        )
        self.logits = nn.Parameter(torch.zeros(len(in_dims)), requires_grad=weights == "learned")
        self.out_dim = dim

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = fill_missing(feats, masks, self.in_dims)
        pooled = pool(feats, masks)
        z = torch.stack([self.branches[m](vec) for m, (vec, _) in pooled.items()], 1)  # (B, M, D)
        present = torch.stack([p for _, p in pooled.values()], 1).to(z.dtype)  # (B, M)
        w = torch.softmax(self.logits, 0) * present
        w = w / w.sum(1, keepdim=True).clamp(min=1e-12)  # rows with nothing present: all zero
        return pooled_output((w.unsqueeze(-1) * z).sum(1))
