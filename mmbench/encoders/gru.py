"""Text encoder: a bidirectional GRU over word embeddings."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from mmbench.encoders._text import text_mask
from mmbench.encoders.base import Encoder, ModalityInput
from mmbench.kwarg_checks import DIM, LAYERS, PROB, ranges
from mmbench.registry import ENCODERS


@ENCODERS.register("gru")
@ranges(dim=DIM, embed_dim=DIM, layers=LAYERS, dropout=PROB)
class GruEncoder(Encoder):
    """Bidirectional GRU over word embeddings; one feature per token.

    Input ids (B, L), right-padded, with mask (B, L) → feats (B, L, D) with the same mask
    (padding positions are zero). Sequences are packed, so padding never reaches the
    recurrence and extra padding leaves the outputs unchanged. Each direction has D // 2
    hidden units (D odd: the concatenation is projected to D).

    Args: ``embed_dim`` word-embedding size (default D); ``layers`` stacked GRU layers;
    ``dropout`` between layers.
    """

    kind = "text"

    def __init__(
        self,
        inp: ModalityInput,
        dim: int = 128,
        embed_dim: int | None = None,
        layers: int = 1,
        dropout: float = 0.0,
    ):
        super().__init__()
        self.pad_id = inp.pad_id
        embed_dim = embed_dim or dim
        hidden = max(dim // 2, 1)
        self.embed = nn.Embedding(max(inp.vocab_size, 1), embed_dim, padding_idx=inp.pad_id)
        self.gru = nn.GRU(
            embed_dim,
            hidden,
            num_layers=layers,
            batch_first=True,
            bidirectional=True,
            dropout=dropout if layers > 1 else 0.0,
        )
        self.proj = nn.Identity() if 2 * hidden == dim else nn.Linear(2 * hidden, dim)
        self.out_dim = dim

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        mask = text_mask(x, mask, self.pad_id)
        # Empty rows (a missing text) get length 1 for packing; their output is zeroed below.
        lengths = mask.sum(1).clamp(min=1).cpu()
        packed = pack_padded_sequence(
            self.embed(x), lengths, batch_first=True, enforce_sorted=False
        )
        out, _ = self.gru(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        feats = self.proj(out).masked_fill(~mask.unsqueeze(-1), 0.0)  # (B, L, D)
        return feats, mask
