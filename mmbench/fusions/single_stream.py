"""Single-stream fusion: one transformer over every modality's tokens."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.fusions._common import check_heads, fill_missing, pick_primary, valid_primary
from mmbench.fusions.base import Fusion
from mmbench.kwarg_checks import DIM, LAYERS, N_HEADS, PROB, ranges
from mmbench.layers.attention import AttentionBlock
from mmbench.registry import FUSIONS


@FUSIONS.register("single_stream")
@ranges(dim=DIM, layers=LAYERS, heads=N_HEADS, dropout=PROB)
class SingleStreamFusion(Fusion):
    """Single-stream transformer: all modalities' tokens, tagged by modality, in one sequence.

    The single-stream design of VisualBERT (Li, Yatskar, Yin, Hsieh, Chang 2019, *VisualBERT:
    A Simple and Performant Baseline for Vision and Language*) and UNITER (Chen et al. 2020,
    ECCV): every token attends to every token of every modality from the first layer on.

    Each modality is projected to D and gets a learned modality embedding (positions come from
    the encoders); a learned [CLS] token, always valid, is prepended; ``layers`` pre-LN
    self-attention blocks. Output: with ``primary``, that modality's tokens (B, Tₚ, D);
    otherwise the whole sequence [CLS, tokens of each modality] (B, 1 + ΣTₘ, D) with mask.
    """

    def __init__(
        self,
        in_dims: dict[str, int],
        dim: int = 128,
        primary: str | None = None,
        layers: int = 2,
        heads: int = 4,
        dropout: float = 0.1,
    ):
        super().__init__()
        check_heads(dim, heads)
        self.in_dims = dict(in_dims)
        self.primary = None if primary is None else pick_primary(in_dims, primary, None)
        self.proj = nn.ModuleDict({m: nn.Linear(d, dim) for m, d in in_dims.items()})
        self.modality = nn.ParameterDict(
            {m: nn.Parameter(0.02 * torch.randn(dim)) for m in in_dims}
        )
        self.cls = nn.Parameter(0.02 * torch.randn(1, 1, dim))
        self.blocks = nn.ModuleList(
            AttentionBlock(dim, heads, dropout=dropout) for _ in range(layers)
        )
        self.out_dim = dim

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        feats, masks = fill_missing(feats, masks, self.in_dims)
        if self.primary is not None:
            feats, masks = valid_primary(feats, masks, self.primary)
        batch = next(iter(feats.values())).shape[0]
        tokens = [self.cls.expand(batch, -1, -1)]
        token_masks = [torch.ones(batch, 1, dtype=torch.bool, device=self.cls.device)]
        span = (0, 0)  # the primary's positions in the joint sequence
        for m, x in feats.items():
            if m == self.primary:
                start = sum(t.shape[1] for t in tokens)
                span = (start, start + x.shape[1])
            tokens.append(self.proj[m](x) + self.modality[m])
            token_masks.append(masks[m])
        x, mask = torch.cat(tokens, 1), torch.cat(token_masks, 1)  # (B, 1 + ΣTₘ, D)
        for block in self.blocks:
            x = block(x, mask)
        if self.primary is None:
            return x, mask
        return x[:, span[0] : span[1]], mask[:, span[0] : span[1]]
