"""Image encoder: any Hugging Face transformers vision model (extra ``mmbench[hf]``)."""

from __future__ import annotations

import torch
from torch import nn

from mmbench.encoders import _hf
from mmbench.encoders.base import Encoder, ModalityInput, full_mask
from mmbench.kwarg_checks import ranges
from mmbench.registry import ENCODERS


@ENCODERS.register("hf_image")
@ranges(dim=(0, 8192), layer=(-1000, 1000))  # dim 0: no projection
class HfImageEncoder(Encoder):
    """A pretrained vision backbone from ``transformers``, with its own image processor.

    Covers ViT (Dosovitskiy et al. 2021, ICLR), CLIP's vision tower (Radford et al. 2021, ICML),
    ResNet (He et al. 2016, CVPR), ConvNeXt (Liu et al. 2022, CVPR) and DINOv2 (Oquab et al.
    2024, TMLR): whatever ``AutoModel`` loads from ``model`` (a ``save_pretrained`` folder or a
    hub id already in the local cache; two-tower checkpoints keep the vision tower).

    Input: the task's standardised images (B, C, H, W); the task's statistics
    (``inp.extra["image_norm"]``, when given) are undone to [0, 1] pixels, which the model's
    processor then resizes and normalises its own way. States of ``layer`` — patch tokens
    (B, T, H) or a feature map flattened to (B, h·w, C) — → ``pooling`` (``none``, ``mean``,
    ``cls``, ``pooler``) → Linear → (B, T, D); ``dim: 0`` keeps the width. ``frozen: true``
    freezes the model.
    """

    kind = "image"
    pretrained = True

    def __init__(
        self,
        inp: ModalityInput,
        dim: int = 128,
        model: str | None = None,
        pooling: str = "none",
        layer: int = -1,
    ):
        super().__init__()
        _hf.check_options("hf_image", pooling, layer)
        self.processor, self.net, self.source = _hf.load("hf_image", model)
        norm = inp.extra.get("image_norm") or {"mean": [0.0], "std": [1.0]}
        self.register_buffer("in_mean", torch.tensor(norm["mean"]).view(1, -1, 1, 1), False)
        self.register_buffer("in_std", torch.tensor(norm["std"]).view(1, -1, 1, 1), False)
        self.pooling, self.layer = pooling, layer
        channels = inp.shape[0] if inp.shape else 3
        with torch.no_grad():  # the width, from one probe through the real code path
            h, _ = self._states(torch.zeros(1, channels, *(inp.shape[1:] or (32, 32))))
        width = h.shape[-1]
        self.proj = nn.Linear(width, dim) if dim else nn.Identity()
        self.out_dim = dim or width
        self.preprocessing = {
            "processor": self.processor.to_dict(),
            "image_norm": {"mean": norm["mean"], "std": norm["std"]},
        }

    def _states(self, x: torch.Tensor):
        pixels = (x * self.in_std + self.in_mean).clamp(0.0, 1.0)  # (B, C, H, W) in [0, 1]
        if pixels.shape[1] == 1:
            pixels = pixels.expand(-1, 3, -1, -1)
        values = self.processor(images=pixels.cpu(), do_rescale=False, return_tensors="pt")
        values = values["pixel_values"].to(x.device)
        trainable = any(p.requires_grad for p in self.net.parameters())
        with torch.set_grad_enabled(trainable and torch.is_grad_enabled()):
            out = self.net(pixel_values=values, output_hidden_states=self.layer != -1)
        return _hf.states(out, self.layer), out  # (B, T, H)

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        h, out = self._states(x)
        h, out_mask = _hf.pool(h, full_mask(h), self.pooling, out)
        return self.proj(h), out_mask
