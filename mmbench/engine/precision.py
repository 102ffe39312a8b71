"""Mixed precision for training (``train.precision``: ``32`` | ``bf16`` | ``fp16``).

``bf16`` and ``fp16`` run the forward pass and the loss under ``torch.autocast`` (Micikevicius
et al., 2018, "Mixed Precision Training"): matrix products in the low precision, weights and
optimiser state in float32. ``fp16`` also scales the loss (``torch.amp.GradScaler``) so small
gradients do not underflow; a step whose scaled gradients overflow is skipped by the scaler,
which lowers its scale (this is not a divergence). ``32`` changes nothing.
"""

from __future__ import annotations

import contextlib
import math

import torch

from mmbench.errors import MmbenchError

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


class Precision:
    def __init__(self, precision: str, device: torch.device):
        self.name = precision
        self.device_type = device.type
        self.dtype = DTYPES.get(precision)
        if self.dtype is torch.bfloat16 and device.type == "cuda":
            if not torch.cuda.is_bf16_supported():
                raise MmbenchError("train.precision: 'bf16' is not supported by this GPU; use fp16")
        self.scaler = torch.amp.GradScaler(device.type) if precision == "fp16" else None

    def autocast(self):
        if self.dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device_type, dtype=self.dtype)

    def backward(self, loss: torch.Tensor, opt: torch.optim.Optimizer) -> None:
        """Backward pass; gradients are unscaled afterwards (ready for clipping)."""
        if self.scaler is None:
            loss.backward()
            return
        self.scaler.scale(loss).backward()
        self.scaler.unscale_(opt)

    def overflowed(self, grad_norm: float | None) -> bool:
        """A non-finite norm under fp16 loss scaling is the scaler's business, not divergence."""
        return self.scaler is not None and grad_norm is not None and not math.isfinite(grad_norm)

    def step(self, opt: torch.optim.Optimizer) -> None:
        if self.scaler is None:
            opt.step()
            return
        self.scaler.step(opt)  # skipped when the unscaled gradients hold inf/nan
        self.scaler.update()
