"""Transformer building blocks shared by attention fusions, transformer encoders and decoders.

Every attention here carries a learned always-valid *null* key/value (``add_bias_kv``), so a
fully-masked row (a missing modality, an all-padding text) never meets a softmax over nothing:
it attends to the null token and stays finite.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class AttentionBlock(nn.Module):
    """Pre-LN transformer block: (cross-)attention then feed-forward, both residual.

    ``forward(x (B, T, D), mask (B, T), context (B, S, D) | None, context_mask (B, S) | None)``
    → (B, T, D), zero at invalid positions of ``mask``. Without ``context`` it is
    self-attention. ``gated=True`` scales both residual branches by tanh of a zero-initialised
    scalar (Flamingo's gated cross-attention), so the block starts as the identity.
    """

    def __init__(
        self,
        dim: int,
        heads: int = 4,
        ff_mult: int = 2,
        dropout: float = 0.0,
        cross: bool = False,
        gated: bool = False,
    ):
        super().__init__()
        self.norm_q = nn.LayerNorm(dim)
        self.norm_kv = nn.LayerNorm(dim) if cross else None
        self.attn = nn.MultiheadAttention(
            dim, heads, dropout=dropout, batch_first=True, add_bias_kv=True
        )
        self.norm_ff = nn.LayerNorm(dim)
        self.ff = nn.Sequential(
            nn.Linear(dim, ff_mult * dim),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(ff_mult * dim, dim),
        )
        self.drop = nn.Dropout(dropout)
        self.attn_gate = nn.Parameter(torch.zeros(1)) if gated else None
        self.ff_gate = nn.Parameter(torch.zeros(1)) if gated else None

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor,
        context: torch.Tensor | None = None,
        context_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        q = self.norm_q(x)
        if context is None:
            kv, kv_mask = q, mask
        else:
            assert self.norm_kv is not None, "built without cross=True"
            kv = self.norm_kv(context)
            kv_mask = context_mask
            if kv_mask is None:
                kv_mask = torch.ones(context.shape[:2], dtype=torch.bool, device=x.device)
        a, _ = self.attn(q, kv, kv, key_padding_mask=~kv_mask, need_weights=False)
        x = x + self._gate(self.drop(a), self.attn_gate)
        x = x + self._gate(self.drop(self.ff(self.norm_ff(x))), self.ff_gate)
        return x.masked_fill(~mask.unsqueeze(-1), 0.0)

    @staticmethod
    def _gate(h: torch.Tensor, gate: torch.Tensor | None) -> torch.Tensor:
        return h if gate is None else torch.tanh(gate) * h


def sinusoidal(length: int, dim: int, device: torch.device | None = None) -> torch.Tensor:
    """Sinusoidal position table (length, dim) of Vaswani et al. 2017 (odd ``dim`` allowed)."""
    pos = torch.arange(length, device=device, dtype=torch.float32).unsqueeze(1)
    freq = torch.exp(
        torch.arange(0, dim, 2, device=device, dtype=torch.float32) * (-math.log(10000.0) / dim)
    )
    table = torch.zeros(length, dim, device=device)
    table[:, 0::2] = torch.sin(pos * freq)
    table[:, 1::2] = torch.cos(pos * freq)[:, : dim // 2]
    return table
