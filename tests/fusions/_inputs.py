"""Small random fusion inputs shared by the per-fusion tests."""

from __future__ import annotations

import torch

DIMS = {"image": 6, "text": 4, "audio": 5}
STEPS = {"image": 5, "text": 3, "audio": 4}


def inputs(names=("image", "text"), batch=2, seed=0):
    """feats {m: (B, Tₘ, Dₘ)} and all-valid masks for the named modalities."""
    g = torch.Generator().manual_seed(seed)
    feats = {m: torch.randn(batch, STEPS[m], DIMS[m], generator=g) for m in names}
    return feats, {m: torch.ones(x.shape[:2], dtype=torch.bool) for m, x in feats.items()}


def dims(names=("image", "text")):
    return {m: DIMS[m] for m in names}
