"""Audio encoder: a bidirectional GRU over (stacked) log-mel frames."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from mmbench.encoders.base import Encoder, ModalityInput
from mmbench.encoders.mel_cnn import audio_mask
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import DIM, LAYERS, PROB, ranges
from mmbench.registry import ENCODERS


@ENCODERS.register("mel_gru")
@ranges(dim=DIM, stack=(1, 16), layers=LAYERS, dropout=PROB)
class MelGruEncoder(Encoder):
    """Bidirectional GRU over log-mel frames, ``stack`` adjacent frames per step.

    Input (B, T, F) with mask (B, T) → feats (B, ⌈T/stack⌉, D) and mask (a step is valid if its
    first frame is). Frames are stacked (concatenated, zero-padded at the end) to shorten the
    sequence; sequences are packed, so padding never enters the recurrence. Each direction has
    D // 2 hidden units.

    Args: ``stack`` frames per step (default 2); ``layers`` stacked GRU layers; ``dropout``.
    """

    kind = "audio"

    def __init__(
        self,
        inp: ModalityInput,
        dim: int = 128,
        stack: int = 2,
        layers: int = 2,
        dropout: float = 0.1,
    ):
        super().__init__()
        if stack < 1:
            raise MmbenchError(f"encoder kwargs: stack: {stack} must be ≥ 1")
        self.stack = stack
        n_mels = inp.shape[0] if inp.shape else 40
        hidden = max(dim // 2, 1)
        self.inp = nn.Linear(n_mels * stack, dim)
        self.gru = nn.GRU(
            dim, hidden, num_layers=layers, batch_first=True, bidirectional=True,
            dropout=dropout if layers > 1 else 0.0,
        )  # fmt: skip
        self.proj = nn.Identity() if 2 * hidden == dim else nn.Linear(2 * hidden, dim)
        self.out_dim = dim

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        mask = audio_mask(x, mask)
        b, t, f = x.shape
        pad = (-t) % self.stack
        x = x.masked_fill(~mask.unsqueeze(-1), 0.0)
        x = nn.functional.pad(x, (0, 0, 0, pad))
        steps = (t + pad) // self.stack
        h = self.inp(x.reshape(b, steps, f * self.stack))  # (B, T', D)
        lengths = (mask.sum(1) + self.stack - 1) // self.stack
        out_mask = torch.arange(steps, device=x.device) < lengths[:, None]
        packed = pack_padded_sequence(
            h, lengths.clamp(min=1).cpu(), batch_first=True, enforce_sorted=False
        )
        out, _ = self.gru(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=steps)
        return self.proj(out).masked_fill(~out_mask.unsqueeze(-1), 0.0), out_mask
