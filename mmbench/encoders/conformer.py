"""Audio encoder: convolutional subsampling + small Conformer blocks (Gulati et al. 2020)."""

from __future__ import annotations

import math

import torch
from torch import nn

from mmbench.encoders.base import Encoder, ModalityInput
from mmbench.encoders.mel_cnn import ConvSubsampling, audio_mask
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import DIM, LAYERS, N_HEADS, PROB, ranges
from mmbench.registry import ENCODERS


def sinusoid(t: int, dim: int, device: torch.device) -> torch.Tensor:
    """Sinusoidal position table (T, D) (Vaswani et al. 2017)."""
    pos = torch.arange(t, device=device, dtype=torch.float32)[:, None]
    freq = torch.exp(torch.arange(0, dim, 2, device=device) * (-math.log(10000.0) / dim))
    table = torch.zeros(t, dim, device=device)
    table[:, 0::2] = torch.sin(pos * freq)
    table[:, 1::2] = torch.cos(pos * freq[: dim // 2])
    return table


class ConformerBlock(nn.Module):
    """½FFN → MHSA → conv module → ½FFN → LayerNorm, each residual (Macaron-style).

    The conv module is pointwise-GLU → depthwise conv (kernel k) → LayerNorm → SiLU → pointwise;
    LayerNorm instead of BatchNorm keeps outputs independent of padding and batch make-up.
    """

    def __init__(self, dim: int, heads: int, kernel: int, dropout: float):
        super().__init__()
        self.ff1 = self._ffn(dim, dropout)
        self.ff2 = self._ffn(dim, dropout)
        self.att_norm = nn.LayerNorm(dim)
        self.att = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.conv_norm = nn.LayerNorm(dim)
        self.pw1 = nn.Linear(dim, 2 * dim)
        self.dw = nn.Conv1d(dim, dim, kernel, padding=kernel // 2, groups=dim)
        self.dw_norm = nn.LayerNorm(dim)
        self.pw2 = nn.Linear(dim, dim)
        self.out_norm = nn.LayerNorm(dim)
        self.drop = nn.Dropout(dropout)

    @staticmethod
    def _ffn(dim: int, dropout: float) -> nn.Sequential:
        return nn.Sequential(
            nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.SiLU(), nn.Dropout(dropout),
            nn.Linear(4 * dim, dim),
        )  # fmt: skip

    def forward(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        keep = mask.unsqueeze(-1)  # (B, T, 1)
        h = h + 0.5 * self.drop(self.ff1(h))
        q = self.att_norm(h)
        att_mask = mask.clone()
        att_mask[:, 0] = True  # an empty row attends to its (zero) first frame: no NaN
        a, _ = self.att(q, q, q, key_padding_mask=~att_mask, need_weights=False)
        h = h + self.drop(a)
        y = nn.functional.glu(self.pw1(self.conv_norm(h)), dim=-1).masked_fill(~keep, 0.0)
        y = self.dw(y.transpose(1, 2)).transpose(1, 2)  # (B, T, D)
        h = h + self.drop(self.pw2(nn.functional.silu(self.dw_norm(y))))
        h = h + 0.5 * self.drop(self.ff2(h))
        return self.out_norm(h).masked_fill(~keep, 0.0)


@ENCODERS.register("conformer")
@ranges(dim=DIM, layers=LAYERS, heads=N_HEADS, kernel=(1, 255), stages=(0, 8), dropout=PROB)
class ConformerEncoder(Encoder):
    """Conv subsampling (×2^stages in time) + sinusoidal positions + ``layers`` Conformer blocks.

    Input log-mel (B, T, F) with mask (B, T) → feats (B, ⌈T/2^stages⌉, D) and subsampled mask.

    Args: ``layers`` blocks; ``heads`` attention heads (divides D); ``kernel`` depthwise conv
    size; ``stages`` stride-2 subsampling stages; ``dropout``.
    """

    kind = "audio"

    def __init__(
        self,
        inp: ModalityInput,
        dim: int = 128,
        layers: int = 2,
        heads: int = 4,
        kernel: int = 15,
        stages: int = 2,
        dropout: float = 0.1,
    ):
        super().__init__()
        if heads < 1 or dim % heads:
            raise MmbenchError(f"encoder kwargs: heads: {heads} must divide model.dim ({dim})")
        n_mels = inp.shape[0] if inp.shape else 40
        self.subsample = ConvSubsampling(n_mels, dim, stages)
        self.blocks = nn.ModuleList(
            ConformerBlock(dim, heads, kernel, dropout) for _ in range(layers)
        )
        self.out_dim = dim

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        h, m = self.subsample(x, audio_mask(x, mask))  # (B, T', D)
        h = (h + sinusoid(h.shape[1], h.shape[2], h.device)).masked_fill(~m.unsqueeze(-1), 0.0)
        for blk in self.blocks:
            h = blk(h, m)
        return h, m
