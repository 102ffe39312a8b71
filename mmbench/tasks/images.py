"""Image inputs of tasks: uint8 tensors from examples, per-channel standardisation.

Images reach encoders as ``(x / 255 - mean) / std`` with the mean and std of each colour channel
over the first 4,096 training images, as torchvision's ImageNet ``Normalize`` does
with fixed statistics. The statistics are part of the task's ``state()``, so a checkpoint sees
the same inputs later.

Why it matters, measured on built-in ``shapes`` scenes (mostly dark background, one small
object): raw ``x / 255`` pixels vary by 0.087 across images, and a CNN with coordinate channels
then sees mostly *where* a feature is, not *what* it is. Colour classification of a single
object sat on a plateau for ~150 steps (AdamW, lr 2e-3) with raw pixels and was solved within
50 steps after standardisation; in the full VQA model the image gradient died out on the
plateau and the model never left the language prior (the 2026-11-28 runs of
``experiments/vqa/fusion_ablation_full.yaml``).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import torch

from mmbench.data.lazy_images import LazyImages, all_lazy

MAX_FIT_IMAGES = 4096  # statistics from the first images of the training split
MIN_STD = 1e-3  # a constant channel is centred, not blown up
FIT_CHUNK = 256  # images per read when fitting on a lazily read column


def image_tensor(examples: list[dict], key: str = "image") -> torch.Tensor | LazyImages:
    """(N, C, H, W) uint8 from examples' (H, W, C) uint8 arrays; a :class:`LazyImages` column
    when every example refers to its image file instead (``dataset.kwargs.lazy``)."""
    if all_lazy([e[key] for e in examples]):
        return LazyImages([e[key] for e in examples])
    images = torch.from_numpy(np.stack([np.asarray(e[key]) for e in examples]))
    return images.permute(0, 3, 1, 2).contiguous()


def image_shape(examples: list[dict], key: str = "image") -> tuple[int, int, int]:
    """(C, H, W) of the first example's image."""
    first = np.asarray(examples[0][key])
    return (first.shape[2], first.shape[0], first.shape[1])


class ImageNorm:
    """Fitted per-channel mean/std; ``__call__`` maps uint8 (B, C, H, W) → float (B, C, H, W)."""

    def __init__(self, mean: list[float], std: list[float]):
        self.mean = [float(m) for m in mean]
        self.std = [max(float(s), MIN_STD) for s in std]
        self._mean = torch.tensor(self.mean).view(1, -1, 1, 1)  # built once, not per batch
        self._std = torch.tensor(self.std).view(1, -1, 1, 1)

    @classmethod
    def fit(cls, images: torch.Tensor | LazyImages) -> ImageNorm:
        """Statistics of uint8 images (N, C, H, W) (the first ``MAX_FIT_IMAGES`` of them).

        Computed exactly from integer pixel sums, read ``FIT_CHUNK`` images at a time, so a
        stacked tensor and a lazily read column of the same files give the same statistics and
        a lazily read set is never held whole.
        """
        n = min(len(images), MAX_FIT_IMAGES)
        channels = images.shape[1]
        sums, squares = [0] * channels, [0] * channels
        for start in range(0, n, FIT_CHUNK):
            x = images[start : min(start + FIT_CHUNK, n)].to(torch.int64)
            for c, (s, q) in enumerate(
                zip(x.sum(dim=(0, 2, 3)).tolist(), (x * x).sum(dim=(0, 2, 3)).tolist())
            ):
                sums[c] += s
                squares[c] += q
        count = n * images.shape[2] * images.shape[3]
        mean = [float(Fraction(s, count * 255)) for s in sums]
        var = [  # unbiased, as torch.std: (count·Q − S²) / (count·(count − 1)) in pixel units²
            Fraction(count * q - s * s, count * max(count - 1, 1) * 255 * 255)
            for s, q in zip(sums, squares)
        ]
        return cls(mean, [math.sqrt(v) for v in var])

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        mean, std = self._mean.to(images.device), self._std.to(images.device)
        return (images.float() / 255.0 - mean) / std

    def state(self) -> dict[str, list[float]]:
        return {"mean": list(self.mean), "std": list(self.std)}
