"""Training-loop overhead of mmbench (with MLflow logging) vs a plain hand-written PyTorch loop.

Same model (built from the same spec), same tensors, same optimiser, schedule, clipping,
epochs and per-epoch validation; the two loops alternate ``--repeats`` times and the median
times are compared. Run:  .venv/bin/python benchmarks/bench_overhead.py
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from pathlib import Path

import torch

from mmbench.build import build_dataset, build_model, build_task
from mmbench.engine.loop import fit, iterate_batches
from mmbench.engine.seeding import seed_everything
from mmbench.spec import load_plan
from mmbench.tracking.run_logger import RunLogger
from mmbench.tracking.store import get_or_create_experiment, init_store

ROOT = Path(__file__).resolve().parents[1]


def plain_loop(model, task, train, data, val):
    """What a researcher would write by hand."""
    opt = torch.optim.AdamW(model.parameters(), lr=train.lr, weight_decay=train.weight_decay)
    steps = math.ceil(data["target"].shape[0] / train.batch_size) * train.epochs
    warm = int(train.warmup_frac * steps)

    def factor(s):
        if s < warm:
            return (s + 1) / warm
        return 0.5 * (1 + math.cos(math.pi * min(1.0, (s - warm) / max(1, steps - warm))))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    gen = torch.Generator().manual_seed(0)
    for _ in range(train.epochs):
        model.train()
        n = data["target"].shape[0]
        order = torch.randperm(n, generator=gen)
        for i in range(0, n, train.batch_size):
            idx = order[i : i + train.batch_size]
            batch = {k: v[idx] for k, v in data.items()}
            loss = task.loss(task.forward(model, batch), batch)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), train.grad_clip)
            opt.step()
            sched.step()
        model.eval()
        preds = []
        with torch.no_grad():
            for batch in iterate_batches(val, 256):
                preds += task.predict(task.forward(model, batch), batch, model)
        task.evaluate(preds, "val", ["vqa_acc"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=3)
    args = ap.parse_args()
    (spec,) = load_plan(
        ROOT / "experiments/vqa/baseline.yaml",
        [f"train.epochs={args.epochs}", "dataset.kwargs.n_test=100"],
    ).specs
    task = build_task(spec)
    task.prepare(build_dataset(spec))
    data, val = task.tensors("train"), task.tensors("val")
    tmp = tempfile.mkdtemp()
    uri = f"sqlite:///{tmp}/mlflow.db"
    client = init_store(uri)
    exp = get_or_create_experiment(client, "overhead", uri)
    times = {"plain": [], "mmbench": []}
    for _ in range(args.repeats):
        seed_everything(0)
        model = build_model(spec, task)
        t0 = time.perf_counter()
        plain_loop(model, task, spec.train, data, val)
        times["plain"].append(time.perf_counter() - t0)

        seed_everything(0)
        model = build_model(spec, task)
        logger = RunLogger.start(client, exp, "bench")
        t0 = time.perf_counter()
        fit(
            model,
            task,
            spec.train,
            torch.device("cpu"),
            torch.Generator().manual_seed(0),
            sink=logger,
        )
        logger.end()
        times["mmbench"].append(time.perf_counter() - t0)
    plain, ours = statistics.median(times["plain"]), statistics.median(times["mmbench"])
    steps = math.ceil(data["target"].shape[0] / spec.train.batch_size) * spec.train.epochs
    print(
        f"model: {spec.model.encoders['image'].name}+{spec.model.encoders['text'].name}"
        f"+{spec.model.fusion.name}, {data['target'].shape[0]} train examples, "
        f"{spec.train.epochs} epochs, {steps} steps, torch threads {torch.get_num_threads()}"
    )
    print(f"plain loop      : median {plain:.2f} s  {[round(t, 2) for t in times['plain']]}")
    print(f"mmbench + MLflow: median {ours:.2f} s  {[round(t, 2) for t in times['mmbench']]}")
    print(f"overhead        : {100 * (ours - plain) / plain:+.1f}% (goal ≤ 5%)")


if __name__ == "__main__":
    main()
