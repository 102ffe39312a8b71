"""The fusion contract.

    forward(feats, masks) -> (fused (B, T, D), mask (B, T) bool)

``feats`` maps modality name → (B, Tₘ, Dₘ); ``masks`` maps the same names → (B, Tₘ) bool
(True = valid). A modality may be *missing*: absent from ``feats`` or fully masked for some
or all rows. A fusion must then still return finite outputs (never crash, never NaN), so the
robustness evaluation can drop modalities at test time.

Constructor: ``__init__(self, in_dims: dict[str, int], dim: int = 128, **own_kwargs)``. build.py
passes the encoders' output dims and the spec's ``model.dim``; ``out_dim`` must be set to D.
``primary`` (optional keyword many fusions accept): the modality whose time axis the output
keeps (needed by CTC heads); otherwise the output may be any length T ≥ 1 (T = 1 is a pooled
vector).
"""

from __future__ import annotations

import torch
from torch import nn


class Fusion(nn.Module):
    """Base class of every fusion method."""

    out_dim: int
    min_modalities: int = 1  # unimodal baselines go through a fusion too
    max_modalities: int | None = None  # e.g. tensor fusion states its limit

    def forward(
        self, feats: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError
