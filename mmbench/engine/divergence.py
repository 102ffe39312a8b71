"""Non-finite losses and gradients: a diverged run stops as FAILED, it never ranks.

``train.on_nonfinite: fail`` (the default) stops at the first NaN/inf loss or gradient norm
with the step and the reason; ``skip_batch`` skips that batch's optimiser step instead and
counts it, and still fails when every batch of an epoch was skipped (nothing was learnt).
"""

from __future__ import annotations

import math

from mmbench.errors import MmbenchError


class NonFiniteError(MmbenchError):
    """Training diverged: ``step`` (1-based optimiser step) and ``reason`` say where and how."""

    def __init__(self, step: int, reason: str, hint: str = ""):
        self.step, self.reason = step, reason
        text = f"training diverged at step {step}: {reason}"
        super().__init__(text + (f" ({hint})" if hint else ""))


HINT = "lower train.lr, set train.grad_clip, or train.on_nonfinite: skip_batch to skip such batches"


class NonFiniteGuard:
    """Checks each step's loss and gradient norm; counts skipped batches per epoch and in all."""

    def __init__(self, policy: str = "fail"):
        self.policy = policy
        self.skipped = 0
        self._epoch_skipped = 0
        self._epoch_batches = 0

    def skip(self, step: int, loss: float, grad_norm: float | None) -> bool:
        """True when this batch's optimiser step must be skipped; raises under ``fail``."""
        self._epoch_batches += 1
        if math.isfinite(loss) and (grad_norm is None or math.isfinite(grad_norm)):
            return False
        reason = f"loss is {loss}" if not math.isfinite(loss) else f"gradient norm is {grad_norm}"
        if self.policy != "skip_batch":
            raise NonFiniteError(step, reason, HINT)
        self.skipped += 1
        self._epoch_skipped += 1
        return True

    def end_epoch(self, epoch: int, step: int) -> None:
        """Raise when every batch of the epoch was skipped; reset the epoch's counts."""
        if self._epoch_batches and self._epoch_skipped == self._epoch_batches:
            raise NonFiniteError(
                step,
                f"every batch of epoch {epoch} ({self._epoch_batches}) had a non-finite loss or "
                "gradient and was skipped (train.on_nonfinite: skip_batch)",
                "lower train.lr or set train.grad_clip",
            )
        self._epoch_skipped = self._epoch_batches = 0
