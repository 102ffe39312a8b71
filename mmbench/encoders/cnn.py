"""Image encoder: a small residual CNN whose output grid becomes a token sequence."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from mmbench.encoders.base import Encoder, ModalityInput, full_mask
from mmbench.errors import MmbenchError
from mmbench.kwarg_checks import DIM, ranges
from mmbench.registry import ENCODERS


def coord_channels(x: torch.Tensor) -> torch.Tensor:
    """Append two coordinate channels (x, y in [-1, 1]) to (B, C, H, W) → (B, C + 2, H, W).

    CoordConv (Liu et al. 2018): lets convolutions, and the fusions after them, know *where*
    a feature is, which spatial-relation questions need.
    """
    b, _, h, w = x.shape
    ys = torch.linspace(-1.0, 1.0, h, device=x.device, dtype=x.dtype)
    xs = torch.linspace(-1.0, 1.0, w, device=x.device, dtype=x.dtype)
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
    coords = torch.stack([grid_x, grid_y]).expand(b, 2, h, w)
    return torch.cat([x, coords], dim=1)


def _norm(kind: str, channels: int) -> nn.Module:
    if kind == "batch":
        return nn.BatchNorm2d(channels)
    return nn.GroupNorm(min(8, channels), channels)


class ResBlock(nn.Module):
    """Residual block (He et al. 2016): conv(stride) → norm → ReLU → conv → norm, + shortcut."""

    def __init__(self, c_in: int, c_out: int, stride: int, norm: str):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False),
            _norm(norm, c_out),
            nn.ReLU(),
            nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
            _norm(norm, c_out),
        )
        self.skip = (
            nn.Identity()
            if stride == 1 and c_in == c_out
            else nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.body(x) + self.skip(x))


@ENCODERS.register("cnn")
@ranges(dim=DIM, widths=DIM)
class CnnEncoder(Encoder):
    """Small residual CNN with coordinate channels; the final grid is the token sequence.

    Input (B, C, H, W) in [0, 1] → feats (B, H'·W', D), all-True mask, where each of the
    ``len(widths)`` stages halves H and W (ceil). Coordinate channels are added at the input and
    before the final 1×1 projection, so every token knows its position.

    Args: ``widths`` channels per stage (each stage: one stride-2 residual block);
    ``norm`` "group" (default, batch-size independent) or "batch".
    """

    kind = "image"

    def __init__(
        self,
        inp: ModalityInput,
        dim: int = 128,
        widths: Sequence[int] = (32, 64, 64),
        norm: str = "group",
    ):
        super().__init__()
        if norm not in ("group", "batch"):
            raise MmbenchError(f"encoder kwargs: norm: '{norm}' is not one of 'group', 'batch'")
        if not widths:
            raise MmbenchError("encoder kwargs: widths: need at least one stage, e.g. [32, 64]")
        channels = inp.shape[0] if inp.shape else 3
        stem = widths[0]
        self.stem = nn.Sequential(
            nn.Conv2d(channels + 2, stem, 3, padding=1, bias=False), _norm(norm, stem), nn.ReLU()
        )
        stages, c = [], stem
        for w in widths:
            stages.append(ResBlock(c, w, stride=2, norm=norm))
            c = w
        self.stages = nn.Sequential(*stages)
        self.proj = nn.Conv2d(c + 2, dim, 1)
        self.out_dim = dim

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.stages(self.stem(coord_channels(x)))
        h = self.proj(coord_channels(h))  # (B, D, H', W')
        feats = h.flatten(2).transpose(1, 2)  # (B, H'·W', D)
        return feats, full_mask(feats)
