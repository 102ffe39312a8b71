"""CTC head: per-frame log-probabilities over the output alphabet plus the blank (index 0)."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.errors import MmbenchError
from mmbench.heads.base import Head
from mmbench.heads.ctc_decoding import beam_decode, greedy_decode
from mmbench.kwarg_checks import DIM, PROB, ranges
from mmbench.registry import HEADS

DECODERS = ("greedy", "beam")


@HEADS.register("ctc")
@ranges(hidden=(0, DIM[1]), dropout=PROB, beam=(1, 256))
class CtcHead(Head):
    """LayerNorm → (optional hidden layer) → Linear → log-softmax, per time step.

    fused (B, T, D) with mask (B, T) → log-probs (B, T, num_outputs); ``num_outputs`` counts the
    blank (index 0) and every symbol of the task's alphabet. Padding positions get a uniform
    distribution (they are cut off by the CTC input lengths anyway).

    Args: ``hidden`` width of a GELU hidden layer (0 = none, a linear read-out); ``dropout``;
    ``decoder`` how the task decodes the outputs: ``greedy`` (best path) or ``beam`` (prefix beam
    search of width ``beam``).
    """

    def __init__(
        self,
        in_dim: int,
        num_outputs: int,
        hidden: int = 0,
        dropout: float = 0.1,
        decoder: str = "greedy",
        beam: int = 8,
    ):
        super().__init__()
        if decoder not in DECODERS:
            raise MmbenchError(
                f"model.head.kwargs.decoder: '{decoder}' is not one of {', '.join(DECODERS)}"
            )
        if beam < 1:
            raise MmbenchError(f"model.head.kwargs.beam: {beam} must be ≥ 1")
        self.decoder, self.beam = decoder, beam
        layers: list[nn.Module] = [nn.LayerNorm(in_dim), nn.Dropout(dropout)]
        if hidden:
            layers += [nn.Linear(in_dim, hidden), nn.GELU(), nn.Dropout(dropout)]
        layers.append(nn.Linear(hidden or in_dim, num_outputs))
        self.net = nn.Sequential(*layers)

    def forward(self, fused: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        logits = self.net(fused).masked_fill(~mask.unsqueeze(-1), 0.0)  # (B, T, V)
        return torch.log_softmax(logits.float(), dim=-1)

    def decode(self, log_probs: torch.Tensor, lengths: torch.Tensor) -> list[list[int]]:
        """Label sequences (blank removed) of (B, T, V) log-probs with valid lengths (B,)."""
        if self.decoder == "beam":
            return beam_decode(log_probs, lengths, self.beam)
        return greedy_decode(log_probs, lengths)
