"""The training loop and batched inference over a task's tensors."""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import torch

from mmbench.data.lazy_column import is_lazy
from mmbench.engine import distributed
from mmbench.engine.corrupt import corrupt_batch
from mmbench.engine.divergence import NonFiniteGuard
from mmbench.engine.optim import make_optimizer, make_scheduler
from mmbench.engine.precision import Precision
from mmbench.engine.progress import Progress
from mmbench.errors import MmbenchError
from mmbench.metrics.info import higher_is_better
from mmbench.spec.schema import TrainSpec
from mmbench.tasks.base import Task


class NullSink:
    """Where metrics go when nothing tracks the run (``RunLogger`` has the same two methods)."""

    def log_metrics(self, metrics: dict[str, float], step: int = 0) -> None: ...

    def flush(self) -> None: ...


def iterate_batches(
    data: dict[str, torch.Tensor],
    batch_size: int,
    *,
    generator: torch.Generator | None = None,
    device: torch.device | None = None,
    num_workers: int = 0,
    batches: slice = slice(None),
) -> Iterator[dict[str, torch.Tensor]]:
    """Slices of every tensor in ``data`` (first dim N); shuffled when a generator is given.

    ``batches``: which of the batches to yield (one rank's deal in a sharded evaluation,
    :func:`mmbench.engine.distributed.dealt`); the batches themselves do not change.

    A lazily read column (:class:`mmbench.data.lazy_column.LazyColumn`: images, audio) reads
    each batch's files when it is sliced; with ``num_workers`` > 0 that happens in DataLoader
    worker processes, ahead of the step, in the same batch order (the order is drawn here, in
    this process). A file that fails there raises its own ``MmbenchError`` here.
    """
    n = next(iter(data.values())).shape[0]
    order = torch.randperm(n, generator=generator) if generator is not None else torch.arange(n)
    chunks = [order[start : start + batch_size] for start in range(0, n, batch_size)][batches]
    if num_workers > 0 and any(is_lazy(v) for v in data.values()):
        loader = torch.utils.data.DataLoader(
            _Batches(data),
            sampler=chunks,
            batch_size=None,
            num_workers=num_workers,
            # its own generator: seeding the workers must not draw from the global torch RNG
            # (dropout and the rest of training would then differ from a run without workers)
            generator=torch.Generator().manual_seed(0),
        )
        batches: Iterator[dict[str, torch.Tensor]] = iter(loader)
    else:
        batches = ({k: v[idx] for k, v in data.items()} for idx in chunks)
    for batch in batches:
        if _FAILED in batch:  # a worker's user error, re-raised as itself (no worker traceback)
            raise MmbenchError(batch[_FAILED])
        if device is not None and device.type != "cpu":
            batch = {k: v.to(device, non_blocking=True) for k, v in batch.items()}
        yield batch


_FAILED = "__mmbench_error__"


class _Batches(torch.utils.data.Dataset):
    """A DataLoader's view of ``data``: item = the batch at a tensor of indices.

    A user error (a file that cannot be read) comes back as ``{_FAILED: problems}``: the
    DataLoader would re-raise it with the worker's traceback folded into the message.
    """

    def __init__(self, data: dict):
        self.data = data

    def __getitem__(self, idx: torch.Tensor) -> dict:
        try:
            return {k: v[idx] for k, v in self.data.items()}
        except MmbenchError as exc:
            return {_FAILED: exc.problems}


@torch.no_grad()
def predict_split(
    model: torch.nn.Module,
    task: Task,
    split: str,
    batch_size: int,
    device: torch.device,
    drop: frozenset[str] = frozenset(),
    data: dict[str, torch.Tensor] | None = None,
    transform: Callable[[dict], dict] | None = None,
) -> tuple[list, float]:
    """Predictions for every example of ``split`` in order, and the mean loss (each batch's
    loss weighted by its size).

    ``data``: the split's tensors to use instead of ``task.tensors(split)`` (corrupted inputs);
    ``transform``: applied to every batch first (corrupted lazily read inputs).
    Under torchrun every rank must call it alike: each predicts its deal of the batches and
    every rank returns the whole split's results (:mod:`mmbench.engine.distributed`).
    """
    model.eval()
    mine: list[tuple[list, float, int]] = []  # per batch: predictions, loss × size, size
    data = task.tensors(split) if data is None else data
    for batch in iterate_batches(data, batch_size, device=device, batches=distributed.dealt()):
        batch = transform(batch) if transform is not None else batch
        out = task.forward(model, batch, drop)
        size = len(next(iter(batch.values())))
        loss_sum = float(task.loss(out, batch)) * size
        mine.append((task.predict(out, batch, model, drop), loss_sum, size))
    preds: list = []
    total, n = 0.0, 0
    for batch_preds, loss_sum, size in distributed.gather_dealt(mine):  # in batch order
        preds.extend(batch_preds)
        total += loss_sum
        n += size
    return preds, total / max(n, 1)


@dataclass
class FitResult:
    best_epoch: int
    best_score: float
    history: list[dict[str, float]] = field(default_factory=list)
    train_seconds: float = 0.0
    steps: int = 0
    best_state: dict | None = None
    skipped_batches: int = 0  # batches whose optimiser step was skipped (non-finite)
    # why training ended: "plateau" (early stopping), "epochs" (the epoch cap), "max_steps"
    stopped: str = "epochs"
    # ended by a cap while the validation score was still improving: the run may be under-trained
    # (the last epoch was the best, or, with early stopping, no plateau of ``patience`` epochs)
    still_improving: bool = False


def dropped_inputs(
    train: TrainSpec, encoded: list[str], generator: torch.Generator
) -> frozenset[str]:
    """The inputs a training batch leaves out (``train.modality_dropout``; never all of them).

    Only inputs with a probability above 0 draw from ``generator``: a spec listing zeros trains
    exactly as one without the option.
    """
    names = [n for n, p in train.modality_dropout.items() if p > 0]
    if not names:
        return frozenset()
    draws = torch.rand(len(names), generator=generator).tolist()
    drop = frozenset(n for n, u in zip(names, draws) if u < train.modality_dropout[n])
    return frozenset() if drop >= set(encoded) else drop


class Plateau:
    """Counts epochs without an improvement larger than ``min_delta`` (scores: higher is better)."""

    def __init__(self, train: TrainSpec) -> None:
        self.rule = train.early_stopping
        self.best = float("-inf")
        self.stale = 0  # epochs since the last improvement

    def update(self, score: float) -> bool:
        """Record an epoch's score; True when training should stop."""
        delta = self.rule.min_delta if self.rule else 0.0
        if score > self.best + delta:
            self.best, self.stale = score, 0
        else:
            self.stale += 1
        return self.rule is not None and self.stale >= self.rule.patience

    def improving(self, result: FitResult, last_epoch: int) -> bool:
        """Whether a run ended by a cap was still improving: with early stopping, no plateau
        yet (some epoch of the last ``patience`` improved); without, its last epoch was best."""
        if self.rule is not None:
            return self.stale < self.rule.patience
        return result.best_epoch == last_epoch


def fit(
    model: torch.nn.Module,
    task: Task,
    train: TrainSpec,
    device: torch.device,
    generator: torch.Generator,
    sink=None,
    progress: Progress | None = None,
    eval_metrics: list[str] | None = None,
) -> FitResult:
    """Train for ``train.epochs`` epochs, validate after each, keep the best weights in memory.

    With ``train.early_stopping`` training ends once ``patience`` epochs in a row fail to beat
    the best validation score by more than ``min_delta`` (Prechelt, "Early Stopping — But
    When?", 1998). Whatever ended it, ``best_state`` holds the best epoch's weights.

    A non-finite loss or gradient norm raises ``NonFiniteError`` (or, with
    ``train.on_nonfinite: skip_batch``, skips that optimiser step; see ``engine.divergence``).
    """
    progress = progress or Progress()
    sink = sink or NullSink()
    if distributed.world_size() > 1 and train.precision == "fp16":
        raise MmbenchError(
            "train.precision: fp16 is not supported under torchrun (each rank's loss scaler "
            "would skip different steps); use 32 or bf16"
        )
    data = task.tensors("train")
    n = next(iter(data.values())).shape[0]
    steps_per_epoch = (n + train.batch_size - 1) // train.batch_size
    total = steps_per_epoch * train.epochs
    if train.max_steps:
        total = min(total, train.max_steps)
    opt = make_optimizer(model.parameters(), train)
    sched = make_scheduler(opt, train, total)
    primary = task.primary_metric
    sign = 1.0 if higher_is_better(primary) else -1.0
    result = FitResult(best_epoch=-1, best_score=float("-inf"))
    progress.start(total, task.spec.name)
    corrupting = bool(train.corrupted_inputs())
    step, t0 = 0, time.perf_counter()
    guard = NonFiniteGuard(train.on_nonfinite)
    amp = Precision(train.precision, device)
    plateau = Plateau(train)
    for epoch in range(train.epochs):
        model.train()
        window, epoch_loss, epoch_n = [], 0.0, 0
        for batch in iterate_batches(
            data,
            train.batch_size,
            generator=generator,
            device=device,
            num_workers=train.num_workers,
        ):
            if corrupting:
                batch = corrupt_batch(task, batch, train, step, list(model.encoders))
            drop = dropped_inputs(train, list(model.encoders), generator)
            batch = distributed.shard(batch)  # this rank's share under torchrun
            if batch is None:  # fewer rows than ranks: every rank skips it alike
                continue
            with amp.autocast():
                out = task.forward(model, batch, drop)
                loss = task.loss(out, batch)
            opt.zero_grad(set_to_none=True)
            value = distributed.mean_over_ranks(loss.item(), device)
            grad_norm = None
            if math.isfinite(value):
                amp.backward(loss, opt)
                distributed.average_gradients(model.parameters())
                clip = train.grad_clip or math.inf  # inf: the norm only, nothing clipped
                grad_norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), clip))
                if amp.overflowed(grad_norm):  # fp16 scaler skips this step, lowers its scale
                    grad_norm = None
            step += 1
            if guard.skip(step, value, grad_norm):  # raises under train.on_nonfinite: fail
                opt.zero_grad(set_to_none=True)
            else:
                amp.step(opt)
                sched.step()
                window.append(value)
                size = len(next(iter(batch.values())))
                epoch_loss += value * size
                epoch_n += size
            progress.step(value)
            if step % train.log_every == 0 and window:
                sink.log_metrics(
                    {"train/loss": sum(window) / len(window), "train/lr": sched.get_last_lr()[0]},
                    step,
                )
                window = []
            if step >= total:
                break
        guard.end_epoch(epoch, step)
        preds, val_loss = predict_split(model, task, "val", max(train.batch_size, 256), device)
        scores = {}
        for res in task.evaluate(preds, "val", eval_metrics or list(task.default_metrics)).values():
            scores.update(res.scores)
        epoch_metrics = {
            "train/epoch_loss": epoch_loss / max(epoch_n, 1),
            **({"train/skipped_batches": float(guard.skipped)} if guard.skipped else {}),
            "val/loss": val_loss,
            **{f"val/{k}": v for k, v in scores.items()},
            "epoch": float(epoch),
        }
        sink.log_metrics(epoch_metrics, step)
        sink.flush()
        result.history.append(epoch_metrics)
        progress.epoch_end(epoch, epoch_metrics)
        score = sign * scores.get(primary, -val_loss)
        if score > result.best_score:
            result.best_score, result.best_epoch = score, epoch
            result.best_state = copy.deepcopy(model.state_dict())
        if plateau.update(score):
            result.stopped = "plateau"
            break
        if step >= total:
            result.stopped = (
                "max_steps" if train.max_steps and step >= train.max_steps else "epochs"
            )
            break
    result.still_improving = result.stopped != "plateau" and plateau.improving(result, epoch)
    result.best_score *= sign
    result.train_seconds = time.perf_counter() - t0
    result.steps = step
    result.skipped_batches = guard.skipped
    progress.close()
    return result
