"""The multimodal model: one encoder per input, a fusion, a head."""

from __future__ import annotations

import torch
from torch import nn


class MultimodalModel(nn.Module):
    """encoders → fusion → head.

    ``inputs`` maps input name → ``(x, mask)``. An input left out of ``inputs`` (or listed in
    ``drop``) is a missing modality: its encoder is skipped and the fusion sees it absent.
    """

    def __init__(
        self,
        encoders: dict[str, nn.Module],
        fusion: nn.Module,
        head: nn.Module,
        frozen: set[str] | None = None,
    ):
        super().__init__()
        self.encoders = nn.ModuleDict(encoders)
        self.fusion = fusion
        self.head = head
        self.frozen = set(frozen or ())
        # inputs whose batches already hold the frozen encoder's output (the feature cache)
        self.precomputed: set[str] = set()
        for name in self.frozen:
            for p in self.encoders[name].parameters():
                p.requires_grad_(False)

    def train(self, mode: bool = True) -> MultimodalModel:
        super().train(mode)
        for name in self.frozen:  # frozen encoders stay in eval mode (BatchNorm, dropout)
            self.encoders[name].eval()
        return self

    def encode(self, inputs: dict[str, tuple], drop: frozenset[str] = frozenset()):
        feats, masks = {}, {}
        for name, (x, mask) in inputs.items():
            if name in drop or name not in self.encoders:
                continue
            if name in self.precomputed:
                f, m = x, mask  # (B, Tm, Dm) features read from the cache
            elif name in self.frozen:
                with torch.no_grad():
                    f, m = self.encoders[name](x, mask)
            else:
                f, m = self.encoders[name](x, mask)
            feats[name], masks[name] = f, m  # (B, Tm, Dm), (B, Tm)
        return feats, masks

    def fuse(
        self, inputs: dict[str, tuple], drop: frozenset[str] = frozenset()
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Encoders + fusion: the fused memory (B, T, D) and its mask (B, T)."""
        feats, masks = self.encode(inputs, drop)
        return self.fusion(feats, masks)

    def forward(self, inputs: dict[str, tuple], drop: frozenset[str] = frozenset()) -> torch.Tensor:
        fused, mask = self.fuse(inputs, drop)
        return self.head(fused, mask)


def count_parameters(model: nn.Module) -> tuple[int, int]:
    """(total, trainable) parameter counts."""
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return total, trainable
