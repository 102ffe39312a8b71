"""Cost of every registered fusion: parameters, FLOPs per example, latency, output length.

Inputs shaped like the VQA baseline: an image grid of 16 tokens and a 12-token question, both
D = 96 (the baseline's ``model.dim``). Run by hand:

    .venv/bin/python benchmarks/bench_fusions.py [--dim 96] [--batch 64] [--repeat 20]

Prints a Markdown table. Latency is the median forward time (eval mode, no grad) of one batch
divided by the batch size; FLOPs come from PyTorch's ``FlopCounterMode`` (matmuls and convs
only, one forward pass).
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from torch.utils.flop_counter import FlopCounterMode

from mmbench.registry import FUSIONS


def inputs(batch: int, dim: int) -> tuple[dict, dict]:
    g = torch.Generator().manual_seed(0)
    feats = {"image": torch.randn(batch, 16, dim, generator=g)}
    feats["text"] = torch.randn(batch, 12, dim, generator=g)
    lengths = torch.randint(4, 13, (batch,), generator=g)
    masks = {
        "image": torch.ones(batch, 16, dtype=torch.bool),
        "text": torch.arange(12).unsqueeze(0) < lengths.unsqueeze(1),
    }
    return feats, masks


def measure(name: str, batch: int, dim: int, repeat: int) -> dict:
    torch.manual_seed(0)
    fusion = FUSIONS.get(name)({"image": dim, "text": dim}, dim=dim).eval()
    feats, masks = inputs(batch, dim)
    with torch.no_grad():
        counter = FlopCounterMode(display=False)
        with counter:
            fused, _ = fusion(feats, masks)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fusion(feats, masks)
            times.append(time.perf_counter() - start)
    return {
        "fusion": name,
        "params": sum(p.numel() for p in fusion.parameters()),
        "mflops": counter.get_total_flops() / batch / 1e6,
        "us": statistics.median(times) / batch * 1e6,
        "T": fused.shape[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dim", type=int, default=96)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rows = [measure(n, args.batch, args.dim, args.repeat) for n in FUSIONS.names()]
    print(
        f"D = {args.dim}, batch {args.batch}, image 16 tokens + text 12 tokens, "
        f"torch {torch.__version__}, {torch.get_num_threads()} threads\n"
    )
    print("| fusion | params | MFLOPs / example | latency µs / example | output T |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['fusion']} | {r['params']:,} | {r['mflops']:.2f} | {r['us']:.1f} | {r['T']} |")


if __name__ == "__main__":
    main()
