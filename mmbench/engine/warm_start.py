"""Warm starts: initialise an encoder from an earlier run's checkpoint or a checkpoint file.

``model.encoders.<input>.init: {run: <MLflow run id>}`` reads that run's
``checkpoint/model.pt``; ``{path: <file>}`` a local file, either mmbench's checkpoint (a dict
with ``"model"``) or a bare state dict. ``prefix`` selects the keys (and is stripped); by
default ``encoders.<input>.`` when the checkpoint has such keys, else every key. Files load
with ``torch.load(weights_only=True)``: no code in a checkpoint ever runs. A missing,
unexpected or wrongly shaped tensor is an error naming the tensors.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import torch
from torch import nn

from mmbench.errors import MmbenchError
from mmbench.spec.schema import InitSpec

log = logging.getLogger(__name__)
CHECKPOINT = "checkpoint/model.pt"  # where execute() logs the trained model


def _fetch_run_checkpoint(run_id: str, tracking_uri: str | None, where: str) -> Path:
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

    from mmbench.tracking.store import resolve_uri

    uri = resolve_uri(tracking_uri)
    client = MlflowClient(tracking_uri=uri)
    try:
        client.get_run(run_id)
    except MlflowException as exc:
        raise MmbenchError(f"{where}.run: no run '{run_id}' in the MLflow store {uri}") from exc
    dst = Path(tempfile.mkdtemp(prefix="mmbench-init-"))
    try:
        return Path(client.download_artifacts(run_id, CHECKPOINT, str(dst)))
    except (MlflowException, OSError) as exc:
        raise MmbenchError(
            f"{where}.run: run '{run_id}' has no {CHECKPOINT} (did it finish training?)"
        ) from exc


def read_state(init: InitSpec, input_name: str, tracking_uri: str | None, where: str) -> dict:
    """The state dict ``init`` points at, with the prefix selected and stripped."""
    if init.run is not None:
        path = _fetch_run_checkpoint(init.run, tracking_uri, where)
    else:
        path = Path(init.path).expanduser()
        if not path.is_file():
            raise MmbenchError(f"{where}.path: {path}: checkpoint file not found")
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # unpickling refused, truncated file, not a torch file
        raise MmbenchError(f"{where}: cannot load {path} with weights_only=True: {exc}") from exc
    state = obj.get("model", obj) if isinstance(obj, dict) else None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise MmbenchError(f"{where}: {path} holds no state dict of tensors")
    prefix = init.prefix
    if prefix is None:
        own = f"encoders.{input_name}."
        prefix = own if any(k.startswith(own) for k in state) else ""
    picked = {k[len(prefix) :]: v for k, v in state.items() if k.startswith(prefix)}
    if not picked:
        tops = sorted({".".join(k.split(".")[:2]) + "." for k in state})
        raise MmbenchError(
            f"{where}.prefix: no tensor of {path.name} starts with {prefix!r} "
            f"(prefixes there: {', '.join(tops[:12])})"
        )
    return picked


def load_into(encoder: nn.Module, state: dict, where: str) -> None:
    """Copy ``state`` into ``encoder``; every tensor must match by name and shape."""
    own = encoder.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    shapes = [
        f"{k} (checkpoint {tuple(state[k].shape)}, encoder {tuple(own[k].shape)})"
        for k in sorted(set(own) & set(state))
        if state[k].shape != own[k].shape
    ]
    problems = []
    if missing:
        problems.append(f"{where}: tensors missing from the checkpoint: {', '.join(missing[:10])}")
    if unexpected:
        problems.append(
            f"{where}: checkpoint tensors the encoder does not have: {', '.join(unexpected[:10])}"
        )
    if shapes:
        problems.append(f"{where}: shape mismatch: {'; '.join(shapes[:10])}")
    if problems:
        raise MmbenchError(problems)
    encoder.load_state_dict(state)
    log.info("%s: loaded %d tensors", where, len(state))
