"""GRU decoder with attention over the fused memory (Luong et al. 2015, "general" scores).

Each step: the GRU reads the previous word's embedding together with the masked mean of the
memory (so a pooled, T = 1 memory conditions every step); its state queries the memory
(bilinear scores, masked softmax over T); ``tanh(W [h; context])`` gives the vocabulary
logits. The initial state is a projection of the memory's masked mean.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from mmbench.heads.decoding import State
from mmbench.heads.seq_decoder import SeqDecoderHead, memory_mask, missing_targets
from mmbench.kwarg_checks import DIM, LAYERS, PROB, ranges
from mmbench.layers.pooling import masked_mean
from mmbench.registry import HEADS


@HEADS.register("gru_decoder")
@ranges(
    hidden=DIM,
    embed_dim=DIM,
    layers=LAYERS,
    dropout=PROB,
    beam_size=(1, 64),
    length_penalty=(0.0, 10.0),
    max_len=(1, 1024),
)
class GruDecoderHead(SeqDecoderHead):
    """Attention GRU decoder: memory (B, T, D) + mask (B, T) + inputs (B, L) → logits (B, L, V).

    Args: ``hidden`` GRU width (default D), ``embed_dim`` word embedding size (default D),
    ``layers`` GRU layers, ``dropout``; decoding options ``beam_size``, ``length_penalty``,
    ``max_len`` (see :mod:`mmbench.heads.seq_decoder`).
    """

    def __init__(
        self,
        in_dim: int,
        num_outputs: int,
        hidden: int | None = None,
        embed_dim: int | None = None,
        layers: int = 1,
        dropout: float = 0.1,
        beam_size: int = 1,
        length_penalty: float = 0.0,
        max_len: int = 20,
    ):
        super().__init__(beam_size, length_penalty, max_len)
        h, e = hidden or in_dim, embed_dim or in_dim
        self.layers, self.hidden = layers, h
        self.embed = nn.Embedding(num_outputs, e, padding_idx=0)
        self.init = nn.Linear(in_dim, layers * h)
        self.gru = nn.GRU(
            e + in_dim, h, num_layers=layers, batch_first=True, dropout=dropout if layers > 1 else 0
        )
        self.query = nn.Linear(h, in_dim, bias=False)
        self.combine = nn.Linear(h + in_dim, h)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(h, num_outputs)

    def _attend(self, out: torch.Tensor, memory: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """GRU outputs (B, L, H) → logits (B, L, V) via attention over memory (B, T, D)."""
        scores = self.query(out) @ memory.transpose(1, 2) / math.sqrt(memory.shape[-1])  # (B,L,T)
        scores = scores.masked_fill(~mask[:, None, :], float("-inf"))
        context = torch.softmax(scores, dim=-1) @ memory  # (B, L, D)
        mixed = torch.tanh(self.combine(torch.cat([out, context], -1)))
        return self.out(self.drop(mixed))

    def _h0(self, pooled: torch.Tensor) -> torch.Tensor:
        b = pooled.shape[0]
        h0 = torch.tanh(self.init(pooled)).view(b, self.layers, self.hidden)
        return h0.transpose(0, 1).contiguous()  # (layers, B, H)

    def forward(  # type: ignore[override]
        self, fused: torch.Tensor, mask: torch.Tensor, targets_in: torch.Tensor | None = None
    ) -> torch.Tensor:
        if targets_in is None:
            raise missing_targets("gru_decoder")
        mask = memory_mask(mask, fused)
        pooled = masked_mean(fused, mask)  # (B, D)
        emb = self.drop(self.embed(targets_in))  # (B, L, E)
        cond = pooled[:, None, :].expand(-1, emb.shape[1], -1)
        out, _ = self.gru(torch.cat([emb, cond], -1), self._h0(pooled))  # (B, L, H)
        return self._attend(out, fused, mask)

    def start(self, memory: torch.Tensor, mask: torch.Tensor) -> State:
        mask = memory_mask(mask, memory)
        pooled = masked_mean(memory, mask)
        return {
            "memory": memory,
            "mask": mask,
            "pooled": pooled,
            "h": self._h0(pooled).transpose(0, 1).contiguous(),  # (B, layers, H): batch first
        }

    def step(self, tokens: torch.Tensor, state: State) -> tuple[torch.Tensor, State]:
        emb = self.drop(self.embed(tokens))[:, None, :]  # (B, 1, E)
        x = torch.cat([emb, state["pooled"][:, None, :]], -1)
        out, h = self.gru(x, state["h"].transpose(0, 1).contiguous())
        logits = self._attend(out, state["memory"], state["mask"])[:, 0]  # (B, V)
        return torch.log_softmax(logits.float(), -1), {**state, "h": h.transpose(0, 1)}
