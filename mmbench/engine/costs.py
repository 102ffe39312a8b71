"""Cost figures logged with every run: parameters, FLOPs, peak memory, latency."""

from __future__ import annotations

import resource
import sys
from collections.abc import Callable

import torch
from torch.utils.flop_counter import FlopCounterMode


def flops_per_example(forward: Callable[[], object], batch_size: int) -> float:
    """Forward FLOPs per example of ``forward()`` on one batch, by PyTorch's flop counter."""
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        forward()
    return counter.get_total_flops() / max(batch_size, 1)


def peak_memory_mb(device: torch.device) -> float:
    """Peak CUDA memory allocated, or the process's peak resident set size on CPU."""
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device) / 2**20
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10
