"""Multimodal bottleneck transformer (MBT): modalities exchange information via a few tokens."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.errors import MmbenchError
from mmbench.fusions._common import check_heads, fill_missing, pick_primary, valid_primary
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, LAYERS, N_HEADS, PROB, ranges
from mmbench.layers.attention import AttentionBlock
from mmbench.registry import FUSIONS


@FUSIONS.register("bottleneck")
@ranges(
    dim=DIM, layers=LAYERS, fusion_layer=(0, 64), bottlenecks=(1, 256), heads=N_HEADS, dropout=PROB
)
class BottleneckFusion(Fusion):
    """Attention bottlenecks: per-modality transformers that share only a few latent tokens.

    Nagrani, Yang, Arnab, Jansen, Schmid, Sun 2021, *Attention Bottlenecks for Multimodal
    Fusion* (MBT), NeurIPS. Each modality has its own stack of ``layers`` pre-LN self-attention
    blocks. Layers before ``fusion_layer`` see only their modality; from ``fusion_layer`` on,
    each modality's block runs over [its tokens; the ``bottlenecks`` shared tokens], and the
    bottleneck tokens are then averaged over modalities (MBT's eq. 8–9), so cross-modal flow
    must squeeze through them. Bottleneck tokens are always valid, so a missing modality
    never yields an all-masked row. The modalities write to the shared tokens in parallel,
    so a modality's own tokens read another's information only from the second fusion layer
    on (``layers − fusion_layer ≥ 2`` matters when ``primary`` is set).

    Output: with ``primary``, that modality's tokens (B, Tₚ, D); otherwise
    [bottleneck tokens, tokens of each modality] (B, n_b + ΣTₘ, D) with mask.
    """

    def __init__(
        self,
        in_dims: dict[str, int],
        dim: int = 128,
        primary: str | None = None,
        layers: int = 2,
        fusion_layer: int = 0,
        bottlenecks: int = 4,
        heads: int = 4,
        dropout: float = 0.1,
    ):
        super().__init__()
        check_heads(dim, heads)
        if not 0 <= fusion_layer < layers:
            raise MmbenchError(
                f"fusion kwargs: fusion_layer: {fusion_layer} must be in 0..{layers - 1} "
                f"(layers={layers}) so that at least one layer fuses"
            )
        self.in_dims = dict(in_dims)
        self.primary = None if primary is None else pick_primary(in_dims, primary, None)
        self.fusion_layer = fusion_layer
        self.proj = nn.ModuleDict({m: nn.Linear(d, dim) for m, d in in_dims.items()})
        self.bottleneck = nn.Parameter(0.02 * torch.randn(1, bottlenecks, dim))
        self.blocks = nn.ModuleDict(
            {
                m: nn.ModuleList(AttentionBlock(dim, heads, dropout=dropout) for _ in range(layers))
                for m in in_dims
            }
        )
        self.out_dim = dim

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = fill_missing(feats, masks, self.in_dims)
        if self.primary is not None:
            feats, masks = valid_primary(feats, masks, self.primary)
        h = {m: self.proj[m](x) for m, x in feats.items()}  # (B, Tₘ, D)
        batch = next(iter(h.values())).shape[0]
        z = self.bottleneck.expand(batch, -1, -1)  # (B, n_b, D)
        z_mask = torch.ones(z.shape[:2], dtype=torch.bool, device=z.device)
        n_layers = len(next(iter(self.blocks.values())))
        for layer in range(n_layers):
            if layer < self.fusion_layer:
                h = {m: self.blocks[m][layer](x, masks[m]) for m, x in h.items()}
                continue
            zs = []
            for m, x in h.items():
                t = x.shape[1]
                y = self.blocks[m][layer](torch.cat([x, z], 1), torch.cat([masks[m], z_mask], 1))
                h[m] = y[:, :t]
                zs.append(y[:, t:])
            z = torch.stack(zs).mean(0)  # the modalities' updates of the shared tokens
        if self.primary is not None:
            return h[self.primary], masks[self.primary]
        fused = torch.cat([z, *h.values()], 1)
        return fused, torch.cat([z_mask, *masks.values()], 1)
