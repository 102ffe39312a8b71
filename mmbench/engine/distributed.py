"""One run on many processes: data-parallel training under ``torchrun``.

``torchrun --nproc_per_node=N -m mmbench run SPEC`` starts N processes (ranks); each builds the
same model from the same seed. Every training batch of the single-process run is split into N
equal shards, one per rank (a batch's remainder beyond a multiple of N is left out, the same on
every rank); after each backward the gradients are averaged across ranks with one all-reduce of
a flat buffer — the synchronous data parallelism of PyTorch's DistributedDataParallel (Li et al.
2020, "PyTorch Distributed", VLDB) done explicitly, because some tasks call the model's parts
(``fuse``, ``head``) rather than its ``forward``, which the DDP wrapper needs to see. The
weights stay identical on every rank. Only rank 0 logs to MLflow and decides which sweep points
run (the others follow, see ``mmbench.sweeps.follow``). Backends: gloo on CPU, NCCL on CUDA (one
GPU per local rank).

Evaluation is sharded (:func:`mmbench.engine.loop.predict_split`: validation each epoch, the
test split, its missing-input and corrupted copies). The split is cut into the batches of the
single-process run and these are dealt round-robin — rank r predicts batches r, r+N, …
(:func:`dealt`) — so each prediction and each batch's loss come from exactly the inputs one
process would use, whatever the task's loss averages over (tokens, examples). The per-batch
predictions, loss sums and sizes are then gathered onto every rank and put back in batch order
(:func:`gather_dealt`); every rank holds the full, ordered prediction list and sums the loss in
the one-process order, so the official corpus metrics (CIDEr, WER, … need every prediction)
and the mean loss are computed from the same numbers as in one process, on each rank alike (so
early stopping agrees). A split with fewer batches than ranks leaves some ranks idle; the
``cost/latency_ms_per_example`` of a run then measures the N ranks' wall time per example.

A point that fails under torchrun ends every rank (a rank left waiting in an all-reduce would
hang): the run is recorded FAILED and the command exits 1; torchrun stops the other ranks.
"""

from __future__ import annotations

import os
from datetime import timedelta

import torch

from mmbench.errors import MmbenchError

TIMEOUT = timedelta(minutes=30)  # a collective waiting longer than this fails the run


def launched() -> bool:
    """Started by torchrun (or another launcher setting WORLD_SIZE) with more than one rank."""
    return int(os.environ.get("WORLD_SIZE", "1") or 1) > 1


def active() -> bool:
    return torch.distributed.is_available() and torch.distributed.is_initialized()


def rank() -> int:
    return torch.distributed.get_rank() if active() else 0


def world_size() -> int:
    return torch.distributed.get_world_size() if active() else 1


def init(device: str = "auto") -> None:
    """Join the process group torchrun describes (env:// rendezvous); no-op when not launched."""
    if not launched() or active():
        return
    if not torch.distributed.is_available():
        raise MmbenchError("torchrun: this torch build has no torch.distributed")
    if device != "cpu" and torch.cuda.is_available():
        # the spec is not read yet: gloo for CPU tensors and NCCL for CUDA ones, so a CPU run
        # on a GPU machine still works
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
        torch.distributed.init_process_group("cpu:gloo,cuda:nccl", timeout=TIMEOUT)
    else:
        torch.distributed.init_process_group("gloo", timeout=TIMEOUT)


def device_for(device: torch.device) -> torch.device:
    """This rank's device: its local GPU under NCCL, else ``device``."""
    if active() and device.type == "cuda":
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    return device


def shard(batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor] | None:
    """This rank's equal share of a global batch (rank r takes rows r, r+N, …); None when the
    batch has fewer rows than ranks (every rank skips it)."""
    n_ranks = world_size()
    if n_ranks == 1:
        return batch
    size = len(next(iter(batch.values()))) // n_ranks
    if size == 0:
        return None
    r = rank()
    return {k: v[r : size * n_ranks : n_ranks] for k, v in batch.items()}


def mean_over_ranks(value: float, device: torch.device) -> float:
    """``value`` averaged over ranks (a NaN on any rank makes the mean NaN on all)."""
    if world_size() == 1:
        return value
    t = torch.tensor([value], dtype=torch.float64, device=device)
    torch.distributed.all_reduce(t)
    return float(t.item()) / world_size()


def average_gradients(params) -> None:
    """Replace each gradient by its mean over ranks (one all-reduce of a flat buffer)."""
    n_ranks = world_size()
    if n_ranks == 1:
        return
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return
    flat = torch.cat([g.reshape(-1) for g in grads])
    torch.distributed.all_reduce(flat)
    flat /= n_ranks
    offset = 0
    for g in grads:
        g.copy_(flat[offset : offset + g.numel()].view_as(g))
        offset += g.numel()


def reseed(seed: int) -> None:
    """After the model is built: a different random stream per rank for what training draws
    from torch's global generator (dropout), so ranks do not share masks; rank 0 keeps the
    single-process stream."""
    if rank() > 0:
        torch.manual_seed((seed + 104_729 * rank()) % 2**63)


def dealt() -> slice:
    """The evaluation batches this rank predicts, as a slice of the list of batches:
    r, r+N, … (all of them in one process)."""
    return slice(rank(), None, world_size())


def gather_dealt(mine: list) -> list:
    """Every rank's items of a round-robin deal (rank r holds items r, r+N, …, see
    :func:`dealt`) as one list in the original order, on every rank (pickled; one
    ``all_gather_object``)."""
    n_ranks = world_size()
    if n_ranks == 1:
        return list(mine)
    parts: list = [None] * n_ranks
    torch.distributed.all_gather_object(parts, list(mine))
    out: list = [None] * sum(len(part) for part in parts)
    for r, part in enumerate(parts):
        if len(out[r::n_ranks]) != len(part):  # not a round-robin deal: refuse to guess
            raise RuntimeError(
                f"rank {r} gathered {len(part)} items, expected {len(out[r::n_ranks])}"
            )
        out[r::n_ranks] = part
    return out


def broadcast(obj):
    """Rank 0's ``obj`` on every rank (pickled; used for the specs rank 0 runs)."""
    if world_size() == 1:
        return obj
    box = [obj if rank() == 0 else None]
    torch.distributed.broadcast_object_list(box, src=0)
    return box[0]
