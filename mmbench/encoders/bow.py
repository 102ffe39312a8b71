"""Text encoder: bag of words, the masked mean of word embeddings."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.encoders._text import text_mask
from mmbench.encoders.base import Encoder, ModalityInput
from mmbench.kwarg_checks import DIM, ranges
from mmbench.layers.pooling import masked_mean
from mmbench.registry import ENCODERS


@ENCODERS.register("bow")
@ranges(dim=DIM)
class BowEncoder(Encoder):
    """Bag of words: mean of word embeddings over the valid tokens, one vector per text.

    Input ids (B, L) with mask (B, L) → feats (B, 1, D); the output mask (B, 1) is False for
    a text with no valid token (its vector is zero). Word order is ignored by design.
    """

    kind = "text"

    def __init__(self, inp: ModalityInput, dim: int = 128):
        super().__init__()
        self.pad_id = inp.pad_id
        self.embed = nn.Embedding(max(inp.vocab_size, 1), dim, padding_idx=inp.pad_id)
        self.out_dim = dim

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        mask = text_mask(x, mask, self.pad_id)
        pooled = masked_mean(self.embed(x), mask)  # (B, D)
        return pooled.unsqueeze(1), mask.any(1, keepdim=True)
