"""Text encoder: a small transformer over word embeddings."""

from __future__ import annotations

import math

import torch
from torch import nn

from mmbench.encoders._text import text_mask
from mmbench.encoders.base import Encoder, ModalityInput
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import DIM, LAYERS, N_HEADS, PROB, ranges
from mmbench.layers.attention import AttentionBlock, sinusoidal
from mmbench.registry import ENCODERS


@ENCODERS.register("transformer")
@ranges(dim=DIM, layers=LAYERS, heads=N_HEADS, dropout=PROB)
class TransformerEncoder(Encoder):
    """Transformer over word embeddings with sinusoidal positions; one feature per token.

    Vaswani et al. 2017, *Attention Is All You Need*, NeurIPS (pre-LN variant). Input ids
    (B, L) with mask (B, L) → embeddings·√D + sinusoidal positions → ``layers``
    self-attention blocks (padding masked out; a learned null key keeps all-padding rows
    finite) → LayerNorm → feats (B, L, D) with the input mask, zero at padding. Extra
    padding leaves the outputs unchanged.
    """

    kind = "text"

    def __init__(
        self,
        inp: ModalityInput,
        dim: int = 128,
        layers: int = 2,
        heads: int = 4,
        dropout: float = 0.1,
    ):
        super().__init__()
        if heads < 1 or dim % heads:
            raise MmbenchError(f"encoder kwargs: heads: {heads} must divide model.dim ({dim})")
        self.pad_id = inp.pad_id
        self.embed = nn.Embedding(max(inp.vocab_size, 1), dim, padding_idx=inp.pad_id)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(
            AttentionBlock(dim, heads, dropout=dropout) for _ in range(layers)
        )
        self.norm = nn.LayerNorm(dim)
        self.out_dim = dim

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        mask = text_mask(x, mask, self.pad_id)
        dim = self.out_dim
        h = self.embed(x) * math.sqrt(dim) + sinusoidal(x.shape[1], dim, x.device)
        h = self.drop(h)  # (B, L, D)
        for block in self.blocks:
            h = block(h, mask)
        return self.norm(h).masked_fill(~mask.unsqueeze(-1), 0.0), mask
