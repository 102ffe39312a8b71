"""Helpers shared by text encoders."""

from __future__ import annotations

import torch


def text_mask(ids: torch.Tensor, mask: torch.Tensor | None, pad_id: int) -> torch.Tensor:
    """The (B, L) validity mask of token ids (B, L): ``mask`` if given, else ``ids != pad_id``."""
    return (ids != pad_id) if mask is None else mask.bool()
