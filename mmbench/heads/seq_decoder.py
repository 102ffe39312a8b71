"""What the sequence decoder heads share: decoding options, memory masks, ``generate``.

A sequence head is conditioned on the fused memory (B, T, D) with its mask (B, T) — whatever T
the fusion gives (T = 1 for pooling fusions). Training uses teacher forcing::

    logits = head(fused, mask, targets_in)      # targets_in (B, L) starting with <bos> → (B, L, V)

Evaluation decodes with ``head.generate(fused, mask, bos=…, eos=…, pad=…)`` using the head's
options ``beam_size`` (1 = greedy), ``length_penalty`` (GNMT α) and ``max_len`` (tokens
generated, ``<eos>`` included); the spec sets them in ``model.head.kwargs``.
"""

from __future__ import annotations

import torch

from mmbench.heads.base import Head
from mmbench.heads.decoding import Hypotheses, State, beam_search, greedy_search


def memory_mask(mask: torch.Tensor | None, memory: torch.Tensor) -> torch.Tensor:
    """A (B, T) bool mask with at least one valid position per row (attention needs one).

    A row with no valid position (every modality missing) attends to its first position, which
    the fusions fill with finite values.
    """
    if mask is None:
        return torch.ones(memory.shape[:2], dtype=torch.bool, device=memory.device)
    mask = mask.bool()
    empty = ~mask.any(1)
    if bool(empty.any()):
        mask = mask.clone()
        mask[:, 0] |= empty
    return mask


class SeqDecoderHead(Head):
    """Base of the autoregressive heads: subclasses implement ``forward``, ``start``, ``step``."""

    generative = True

    def __init__(self, beam_size: int = 1, length_penalty: float = 0.0, max_len: int = 20):
        super().__init__()
        if not isinstance(beam_size, int) or beam_size < 1:
            raise ValueError(f"beam_size: must be an integer ≥ 1, got {beam_size!r}")
        if not isinstance(max_len, int) or max_len < 1:
            raise ValueError(f"max_len: must be an integer ≥ 1, got {max_len!r}")
        if not isinstance(length_penalty, (int, float)) or length_penalty < 0:
            raise ValueError(f"length_penalty: must be a number ≥ 0, got {length_penalty!r}")
        self.beam_size = beam_size
        self.length_penalty = float(length_penalty)
        self.max_len = max_len

    def forward(  # type: ignore[override]
        self, fused: torch.Tensor, mask: torch.Tensor, targets_in: torch.Tensor | None = None
    ) -> torch.Tensor:
        raise NotImplementedError

    def start(self, memory: torch.Tensor, mask: torch.Tensor) -> State:
        raise NotImplementedError

    def step(self, tokens: torch.Tensor, state: State) -> tuple[torch.Tensor, State]:
        raise NotImplementedError

    @torch.no_grad()
    def generate(
        self,
        fused: torch.Tensor,
        mask: torch.Tensor,
        *,
        bos: int,
        eos: int,
        pad: int,
        beam_size: int | None = None,
        max_len: int | None = None,
        length_penalty: float | None = None,
    ) -> Hypotheses:
        """Decode one sequence per example of fused (B, T, D), mask (B, T); see ``decoding``."""
        k = self.beam_size if beam_size is None else beam_size
        options = {
            "bos": bos,
            "eos": eos,
            "pad": pad,
            "max_len": self.max_len if max_len is None else max_len,
            "length_penalty": self.length_penalty if length_penalty is None else length_penalty,
            "banned": (pad, bos),
        }
        if k == 1:
            return greedy_search(self, fused, mask, **options)
        return beam_search(self, fused, mask, beam_size=k, **options)


def missing_targets(name: str) -> TypeError:
    return TypeError(
        f"{name}: training needs targets_in (B, L) (teacher forcing); decode with .generate()"
    )
