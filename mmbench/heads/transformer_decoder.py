"""A small Transformer decoder (pre-norm) cross-attending to the fused memory.

Causal self-attention over the words so far, cross-attention over the memory (B, T, D) with its
mask, learned positions. Decoding recomputes the prefix at every step (captions and summaries
are short, so a key/value cache would save little here).
"""

from __future__ import annotations

import torch
from torch import nn

from mmbench.heads.decoding import State
from mmbench.heads.seq_decoder import SeqDecoderHead, memory_mask, missing_targets
from mmbench.kwarg_checks import DIM, LAYERS, N_HEADS, PROB, ranges
from mmbench.registry import HEADS


@HEADS.register("transformer_decoder")
@ranges(
    dim=DIM,
    layers=LAYERS,
    heads=N_HEADS,
    ff_mult=(1, 16),
    dropout=PROB,
    max_positions=(1, 4096),
    beam_size=(1, 64),
    length_penalty=(0.0, 10.0),
    max_len=(1, 1024),
)
class TransformerDecoderHead(SeqDecoderHead):
    """Transformer decoder: memory (B, T, D) + mask (B, T) + inputs (B, L) → logits (B, L, V).

    Args: ``dim`` model width (default D; a multiple of ``heads``), ``layers``, ``heads``,
    ``ff_mult`` (feed-forward width = ff_mult · dim), ``dropout``, ``max_positions`` (longest
    input sequence); decoding options ``beam_size``, ``length_penalty``, ``max_len``.
    """

    def __init__(
        self,
        in_dim: int,
        num_outputs: int,
        dim: int | None = None,
        layers: int = 2,
        heads: int = 4,
        ff_mult: int = 2,
        dropout: float = 0.1,
        max_positions: int = 128,
        beam_size: int = 1,
        length_penalty: float = 0.0,
        max_len: int = 20,
    ):
        super().__init__(beam_size, length_penalty, max_len)
        d = dim or in_dim
        if d % heads:
            raise ValueError(f"dim: {d} is not a multiple of heads={heads}")
        if max_len > max_positions:
            raise ValueError(f"max_len: {max_len} exceeds max_positions={max_positions}")
        self.max_positions = max_positions
        self.mem_proj = nn.Identity() if d == in_dim else nn.Linear(in_dim, d)
        self.embed = nn.Embedding(num_outputs, d, padding_idx=0)
        self.pos = nn.Embedding(max_positions, d)
        layer = nn.TransformerDecoderLayer(
            d, heads, ff_mult * d, dropout, batch_first=True, norm_first=True
        )
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.norm = nn.LayerNorm(d)
        self.out = nn.Linear(d, num_outputs)

    def _decode(self, inputs: torch.Tensor, memory: torch.Tensor, mask: torch.Tensor):
        """inputs (B, L) → logits (B, L, V); memory already projected (B, T, d)."""
        length = inputs.shape[1]
        if length > self.max_positions:
            raise ValueError(f"transformer_decoder: {length} positions > max_positions")
        pos = torch.arange(length, device=inputs.device)
        x = self.embed(inputs) + self.pos(pos)[None]
        causal = torch.triu(
            torch.ones(length, length, dtype=torch.bool, device=inputs.device), diagonal=1
        )
        h = self.decoder(
            x,
            memory,
            tgt_mask=causal,
            memory_key_padding_mask=~mask,
        )
        return self.out(self.norm(h))

    def forward(  # type: ignore[override]
        self, fused: torch.Tensor, mask: torch.Tensor, targets_in: torch.Tensor | None = None
    ) -> torch.Tensor:
        if targets_in is None:
            raise missing_targets("transformer_decoder")
        return self._decode(targets_in, self.mem_proj(fused), memory_mask(mask, fused))

    def start(self, memory: torch.Tensor, mask: torch.Tensor) -> State:
        b = memory.shape[0]
        return {
            "memory": self.mem_proj(memory),
            "mask": memory_mask(mask, memory),
            "prefix": torch.zeros(b, 0, dtype=torch.long, device=memory.device),
        }

    def step(self, tokens: torch.Tensor, state: State) -> tuple[torch.Tensor, State]:
        prefix = torch.cat([state["prefix"], tokens[:, None]], 1)  # (B, t)
        logits = self._decode(prefix, state["memory"], state["mask"])[:, -1]  # (B, V)
        return torch.log_softmax(logits.float(), -1), {**state, "prefix": prefix}
