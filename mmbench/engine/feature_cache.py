"""Content-addressed cache of frozen encoders' outputs, shared by sweep points, seeds and workers.

A frozen encoder computes the same features for the same inputs in every run of a sweep, so
they are computed once per key and read back memory-mapped. The key is a sha256 over: the
encoder's name and kwargs, a digest of its weights (every parameter and buffer), its own
preprocessing description (tokenizer, image processor, …), a digest of exactly what it is fed
for the split (the task's preprocessed inputs and masks, so data *and* task preprocessing are
covered), the split and the mmbench version. Any change is a miss.

Layout: ``<root>/<key>/{feats.npy, mask.npy, meta.json}`` with ``root`` =
``$MMBENCH_FEATURE_CACHE_DIR`` or ``<mmbench cache dir>/features`` (``$MMBENCH_CACHE_DIR`` or
``~/.cache/mmbench``). Entries are written into a temporary folder and renamed into place
(atomic); a per-key file lock makes a second worker wait for the first instead of computing the
same entry again.

When the cache may be used is decided in one place, :func:`cache_allowed`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

import mmbench
from mmbench.files import cache_dir

log = logging.getLogger(__name__)
PREFIX_FEATS, PREFIX_MASK = "cached_feats.", "cached_mask."


def cache_root() -> Path:
    return cache_dir("features", "MMBENCH_FEATURE_CACHE_DIR")


def cache_allowed(mode: str, frozen: bool, randomly_transformed: bool) -> bool:
    """The one rule: ``train.feature_cache: auto``, a frozen encoder, and nothing random
    touching its input before it (augmentation, input noise, corruptions). Modality dropout
    happens after the encoder and does not matter."""
    return mode == "auto" and frozen and not randomly_transformed


def input_randomly_transformed(task, spec, name: str) -> bool:
    """Whether something random changes input ``name`` before its encoder during training."""
    if name == "audio" and getattr(task, "augment", None) and not getattr(task, "waveform", False):
        return True  # ASR SpecAugment on log-mel frames
    return name in spec.train.corrupted_inputs()  # train.corruptions drawn per batch


def weights_digest(module: torch.nn.Module) -> str:
    h = hashlib.sha256()
    for name, t in module.state_dict().items():
        h.update(name.encode())
        h.update(str((tuple(t.shape), str(t.dtype))).encode())
        h.update(t.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def _batches(task, split: str, name: str, batch_size: int, device) -> Iterator[tuple]:
    from mmbench.engine.loop import iterate_batches

    for batch in iterate_batches(task.tensors(split), batch_size, device=device):
        yield task.model_inputs(batch)[name]  # (x, mask or None)


def inputs_digest(task, split: str, name: str, batch_size: int) -> str:
    h = hashlib.sha256()
    for x, mask in _batches(task, split, name, batch_size, None):
        for t in (x, mask):
            if t is None:
                h.update(b"none")
                continue
            t = t.detach().cpu().contiguous()
            h.update(str((tuple(t.shape), str(t.dtype))).encode())
            h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def entry_key(enc_spec, encoder: torch.nn.Module, split: str, data_digest: str) -> str:
    payload = {
        "encoder": enc_spec.name,
        "kwargs": enc_spec.kwargs,
        "weights": weights_digest(encoder),
        "preprocessing": getattr(encoder, "preprocessing", None),
        "inputs": data_digest,
        "split": split,
        "mmbench": mmbench.__version__,
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


@contextlib.contextmanager
def _lock(root: Path, key: str):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f"{key}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # a second worker waits here for the first
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@torch.no_grad()
def _compute(task, split, name, encoder, batch_size, device) -> tuple[np.ndarray, np.ndarray]:
    was = encoder.training
    encoder.eval()
    feats, masks = [], []
    for x, mask in _batches(task, split, name, batch_size, device):
        f, m = encoder(x, mask)  # (B, T, D), (B, T)
        feats.append(f.float().cpu())
        masks.append(m.cpu())
    encoder.train(was)
    t = max(f.shape[1] for f in feats)
    out_f = torch.cat([torch.nn.functional.pad(f, (0, 0, 0, t - f.shape[1])) for f in feats])
    out_m = torch.cat([torch.nn.functional.pad(m, (0, t - m.shape[1])) for m in masks])
    return out_f.numpy(), out_m.numpy()


def get_or_compute(
    task, split, name, enc_spec, encoder, batch_size, device, fp16: bool = False
) -> tuple[torch.Tensor, torch.Tensor, bool]:
    """(feats (N, T, D), mask (N, T), hit) for every row of ``task.tensors(split)``."""
    root = cache_root()
    key = entry_key(enc_spec, encoder, split, inputs_digest(task, split, name, batch_size))
    folder = root / key
    hit = True
    with _lock(root, key):
        if not (folder / "meta.json").is_file():
            hit = False
            feats, mask = _compute(task, split, name, encoder, batch_size, device)
            tmp = root / f"{key}.tmp-{os.getpid()}"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            np.save(tmp / "feats.npy", feats.astype(np.float16 if fp16 else np.float32))
            np.save(tmp / "mask.npy", mask)
            meta = {
                "encoder": enc_spec.name,
                "kwargs": enc_spec.kwargs,
                "split": split,
                "input": name,
                "task": task.name,
                "shape": list(feats.shape),
                "created": time.time(),
                "mmbench": mmbench.__version__,
            }
            (tmp / "meta.json").write_text(json.dumps(meta, default=str), encoding="utf-8")
            shutil.rmtree(folder, ignore_errors=True)  # a stale, incomplete entry
            os.replace(tmp, folder)  # atomic: readers see a whole entry or none
    feats = np.load(folder / "feats.npy", mmap_mode="c")  # copy-on-write memory map
    mask = np.load(folder / "mask.npy", mmap_mode="c")
    os.utime(folder / "meta.json")  # last use, for prune --older-than
    log.info(
        "feature cache %s: %s %s/%s %s", "hit" if hit else "miss", key, split, name, feats.shape
    )
    return torch.from_numpy(feats), torch.from_numpy(mask), hit


def without_cached(data: dict, name: str) -> dict:
    """``data`` without the cached features of input ``name`` (its raw input was replaced)."""
    return {k: v for k, v in data.items() if k not in (PREFIX_FEATS + name, PREFIX_MASK + name)}


def attach(task, spec, model, device) -> dict[str, bool]:
    """Precompute (or read) the features of every cacheable encoder into the task's split
    tensors and make the model and task use them. Returns {input: hit of the train split}."""
    used: dict[str, bool] = {}
    mode = getattr(spec.train, "feature_cache", "auto")
    for name, enc_spec in spec.model.encoders.items():
        if not cache_allowed(mode, enc_spec.frozen, input_randomly_transformed(task, spec, name)):
            continue
        for split in ("train", "val", spec.eval.split):
            data = task.tensors(split)
            if PREFIX_FEATS + name in data:
                continue
            f, m, hit = get_or_compute(
                task, split, name, enc_spec, model.encoders[name], spec.eval.batch_size, device
            )
            data[PREFIX_FEATS + name], data[PREFIX_MASK + name] = f, m
            used.setdefault(name, hit)
    if used:
        original = task.model_inputs

        def model_inputs(batch):
            inputs = original(batch)
            for name in used:
                if PREFIX_FEATS + name in batch:
                    m = batch[PREFIX_MASK + name]
                    t = int(m.any(0).nonzero().max()) + 1 if m.any() else 1  # trim padding
                    inputs[name] = (batch[PREFIX_FEATS + name][:, :t].float(), m[:, :t])
                elif name in inputs:  # inputs changed since caching (a corrupted split)
                    with torch.no_grad():
                        inputs[name] = model.encoders[name](*inputs[name])
            return inputs

        task.model_inputs = model_inputs
        model.precomputed = set(used)
    return used


@dataclass
class Entry:
    key: str
    bytes: int
    last_used: float
    meta: dict


def list_entries(root: Path | None = None) -> list[Entry]:
    root = root or cache_root()
    out = []
    for folder in sorted(root.glob("*")) if root.is_dir() else []:
        meta_file = folder / "meta.json"
        if not folder.is_dir() or not meta_file.is_file():
            continue
        size = sum(p.stat().st_size for p in folder.iterdir())
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        out.append(Entry(folder.name, size, meta_file.stat().st_mtime, meta))
    return out


def prune(older_than_s: float | None = None, root: Path | None = None) -> list[Entry]:
    """Remove entries unused for ``older_than_s`` seconds (all when None); the removed ones."""
    root = root or cache_root()
    now = time.time()
    gone = []
    for e in list_entries(root):
        if older_than_s is None or now - e.last_used > older_than_s:
            with _lock(root, e.key):
                shutil.rmtree(root / e.key, ignore_errors=True)
            (root / f"{e.key}.lock").unlink(missing_ok=True)
            gone.append(e)
    return gone
