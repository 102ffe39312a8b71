"""One run on two processes: ``torchrun --nproc_per_node=2 -m mmbench run SPEC`` (gloo on CPU)
trains each point data-parallel, logs it once (rank 0), and gives the single-process result."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from mlflow.tracking import MlflowClient

from mmbench.engine import distributed

# no dropout anywhere: then the two ranks' averaged gradients are the one process's gradients
# (up to float summation order), and the runs must agree
SPEC = """
name: ddp
task: vqa
dataset: {name: shapes, kwargs: {n_train: 256, n_val: 64, n_test: 64, seed: 3}}
model:
  dim: 16
  encoders: {image: {name: mlp, kwargs: {dropout: 0.0}}, text: {name: bow}}
  fusion: {name: concat, kwargs: {dropout: 0.0}}
  head: {name: classifier, kwargs: {hidden: 16, dropout: 0.0}}
train: {epochs: 3, batch_size: 32, lr: 0.003, seed: 0, device: cpu}
sweep:
  train.seed: [0, 1]
"""

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not torch.distributed.is_available(), reason="no torch.distributed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mmbench(folder: Path, *args: str, ranks: int = 1) -> subprocess.CompletedProcess:
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"sqlite:///{folder / 'm.db'}"}
    env.update(OMP_NUM_THREADS="1", MMBENCH_CLAIM_SETTLE_S="0.1")
    if ranks == 1:
        cmd = [sys.executable, "-m", "mmbench", *args]
    else:
        launcher = [sys.executable, "-m", "torch.distributed.run", f"--nproc_per_node={ranks}"]
        cmd = [*launcher, "--master_addr=127.0.0.1", f"--master_port={_free_port()}"]
        cmd += ["-m", "mmbench", *args]
    return subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=600)


def _runs(folder: Path) -> dict[str, object]:
    client = MlflowClient(f"sqlite:///{folder / 'm.db'}")
    exp = client.get_experiment_by_name("ddp")
    found = client.search_runs([exp.experiment_id], "tags.`mmbench.kind` = 'train'")
    return {r.data.params["train.seed"]: r for r in found}


def test_two_ranks_train_each_point_once_and_match_one_process(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    single = _mmbench(one, "run", str(spec), "--no-report")
    assert single.returncode == 0, single.stderr[-2000:]
    ddp = _mmbench(two, "run", str(spec), "--no-report", ranks=2)
    assert ddp.returncode == 0, ddp.stderr[-2000:]
    a, b = _runs(one), _runs(two)
    assert sorted(b) == ["0", "1"]  # each point logged once, by rank 0
    for seed in a:
        assert b[seed].info.status == "FINISHED"
        assert b[seed].data.tags["mmbench.env.world_size"] == "2"
        assert "mmbench.env.world_size" not in a[seed].data.tags
        # stated tolerance: same accuracy, loss within 1e-3 (float summation order differs)
        assert b[seed].data.metrics["test/vqa_acc"] == a[seed].data.metrics["test/vqa_acc"]
        assert abs(b[seed].data.metrics["test/loss"] - a[seed].data.metrics["test/loss"]) < 1e-3
        assert b[seed].data.metrics["best_epoch"] == a[seed].data.metrics["best_epoch"]


def test_parallel_workers_under_torchrun_are_refused(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    out = _mmbench(tmp_path, "run", str(spec), "--workers", "2", ranks=2)
    assert out.returncode != 0
    assert "under torchrun every rank trains the same point: use --workers 1" in out.stderr


def test_sharding_splits_a_batch_evenly_and_skips_batches_smaller_than_the_ranks(monkeypatch):
    monkeypatch.setattr(distributed, "world_size", lambda: 2)
    batch = {"x": torch.arange(7)}
    monkeypatch.setattr(distributed, "rank", lambda: 0)
    first = distributed.shard(batch)["x"].tolist()
    monkeypatch.setattr(distributed, "rank", lambda: 1)
    second = distributed.shard(batch)["x"].tolist()
    assert first == [0, 2, 4] and second == [1, 3, 5]  # equal shares; row 6 left out on both
    assert distributed.shard({"x": torch.arange(1)}) is None


@pytest.mark.gpu
@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="needs two CUDA devices (NCCL ranks)")
def test_two_ranks_on_two_gpus_match_one_gpu(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(textwrap.dedent(SPEC).replace("device: cpu", "device: cuda"), encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    assert _mmbench(one, "run", str(spec), "--no-report").returncode == 0
    ddp = _mmbench(two, "run", str(spec), "--no-report", ranks=2)
    assert ddp.returncode == 0, ddp.stderr[-2000:]
    a, b = _runs(one), _runs(two)
    for seed in a:  # NCCL reductions are not bit-exact: accuracy within one example
        assert abs(b[seed].data.metrics["test/vqa_acc"] - a[seed].data.metrics["test/vqa_acc"]) < 2
        assert "mmbench.env.cuda" in b[seed].data.tags
