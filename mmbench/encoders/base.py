"""The encoder contract.

An encoder turns one modality's batch into a feature sequence and a mask:

    forward(x, mask) -> (feats (B, T, D), mask (B, T) bool, True = valid position)

Inputs by modality kind (what tasks and collate functions produce):
- image: float (B, C, H, W) in [0, 1]; ``mask`` is None.
- text:  long (B, L) token ids padded with ``inp.pad_id``; ``mask`` (B, L) bool.
- audio: float (B, T, F) log-mel frames; ``mask`` (B, T) bool.

Constructor: ``__init__(self, inp: ModalityInput, dim: int = 128, **own_kwargs)``; build.py
passes ``inp`` and ``dim`` (the spec's ``model.dim`` unless the encoder's kwargs set it), and the
spec's ``kwargs`` become ``own_kwargs``. ``out_dim`` must be set to D. Freezing is generic
(``frozen: true`` in the spec), done by build.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import torch
from torch import nn

MODALITY_KINDS = ("image", "text", "audio")


@dataclass(frozen=True)
class ModalityInput:
    """What an encoder needs to know about its input, derived from the data by the task."""

    kind: str  # "image" | "text" | "audio"
    shape: tuple[int, ...] = ()  # image: (C, H, W); text: (max_len,); audio: (n_features,)
    vocab_size: int = 0  # text only
    pad_id: int = 0  # text only
    extra: dict = field(default_factory=dict)  # e.g. {"vocab": [...]} for pretrained tokenisers


class Encoder(nn.Module):
    """Base class: subclasses set ``kind`` (the modality kind they accept) and ``out_dim``."""

    kind: ClassVar[str] = ""
    out_dim: int

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError


def full_mask(feats: torch.Tensor) -> torch.Tensor:
    """An all-valid (B, T) mask for a (B, T, D) feature tensor."""
    return torch.ones(feats.shape[:2], dtype=torch.bool, device=feats.device)
