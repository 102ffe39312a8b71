"""FiLM: feature-wise linear modulation of one modality by the others."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions._common import fill_missing, pick_primary, pool, valid_primary, zero_invalid
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, LAYERS, ranges
from mmbench.registry import FUSIONS


class FilmBlock(nn.Module):
    """Residual FiLM block on a sequence: Linear → ReLU → Linear → LayerNorm → FiLM → ReLU, + x.

    Position-wise linears stand for the paper's 1×1/3×3 convolutions (the encoder already
    mixed space); LayerNorm without affine stands for BatchNorm without affine.
    """

    def __init__(self, dim: int, cond_dim: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, dim)
        self.fc2 = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim, elementwise_affine=False)
        self.film = nn.Linear(cond_dim, 2 * dim)  # predicts (Δγ, β)

    def forward(self, x: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        h = self.norm(self.fc2(torch.relu(self.fc1(x))))  # (B, T, D)
        d_gamma, beta = self.film(cond).unsqueeze(1).chunk(2, dim=-1)  # (B, 1, D) each
        return x + torch.relu((1.0 + d_gamma) * h + beta)


@FUSIONS.register("film")
@ranges(dim=DIM, blocks=LAYERS)
class FilmFusion(Fusion):
    """FiLM: the other modalities predict per-channel γ, β that modulate the primary's features.

    Perez, Strub, de Vries, Dumoulin, Courville 2018, *FiLM: Visual Reasoning with a General
    Conditioning Layer*, AAAI. γ is predicted as 1 + Δγ (the paper notes that centring γ at 1
    helps).

    primary (B, T, Dₚ) → Linear → (B, T, D); conditioning: each other modality's masked max
    projected to D (zero when missing), concatenated; ``blocks`` FiLM'd residual blocks.
    Output keeps the primary's time axis: (B, T, D) with the primary's mask (a row whose
    primary is missing keeps one valid position, computed from a zero primary).
    Default primary: "image" if present, else the first modality.
    """

    def __init__(
        self,
        in_dims: dict[str, int],
        dim: int = 128,
        primary: str | None = None,
        blocks: int = 2,
    ):
        super().__init__()
        self.in_dims = dict(in_dims)
        self.primary = pick_primary(in_dims, primary, default="image")
        self.others = [m for m in in_dims if m != self.primary]
        self.proj = nn.Linear(in_dims[self.primary], dim)
        self.cond_proj = nn.ModuleDict({m: nn.Linear(in_dims[m], dim) for m in self.others})
        cond_dim = dim * max(len(self.others), 1)
        self.blocks = nn.ModuleList(FilmBlock(dim, cond_dim) for _ in range(blocks))
        self.out_dim = dim

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = valid_primary(*fill_missing(feats, masks, self.in_dims), self.primary)
        mask = masks[self.primary]
        x = self.proj(feats[self.primary])  # (B, T, D)
        pooled = pool({m: feats[m] for m in self.others}, {m: masks[m] for m in self.others})
        parts = [
            self.cond_proj[m](vec) * present.unsqueeze(1).to(vec.dtype)
            for m, (vec, present) in pooled.items()
        ]
        cond = torch.cat(parts, dim=1) if parts else x.new_zeros(x.shape[0], x.shape[-1])
        for block in self.blocks:
            x = block(x, cond)
        return zero_invalid(x, mask), mask
