"""Masked pooling over time: (B, T, D) with a validity mask (B, T) → (B, D)."""

from __future__ import annotations

import torch


def masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over T of (B, T, D) where mask (B, T) is True → (B, D); zeros for empty rows."""
    m = mask.unsqueeze(-1).to(x.dtype)
    return (x * m).sum(1) / m.sum(1).clamp(min=1.0)


def masked_max(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Max over T of (B, T, D) where mask (B, T) is True → (B, D); zeros for empty rows."""
    filled = x.masked_fill(~mask.unsqueeze(-1), torch.finfo(x.dtype).min)
    out = filled.amax(dim=1)
    return torch.where(mask.any(1, keepdim=True), out, torch.zeros_like(out))
