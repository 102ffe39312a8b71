"""One run on two processes: ``torchrun --nproc_per_node=2 -m mmbench run SPEC`` (gloo on CPU)
trains each point data-parallel, evaluates sharded (each rank its deal of the batches, gathered
back in order), logs it once (rank 0), and gives the single-process result."""

from __future__ import annotations

import json
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
from mmbench.engine.loop import predict_split

# no dropout anywhere: then the two ranks' averaged gradients are the one process's gradients
# (up to float summation order), and the runs must agree. An odd test split in 8 batches of 8
# (the last of 7) and a validation split of two batches (256 + 44): each rank evaluates its
# deal, and the gathered predictions must come back in order (enough training that the
# predictions are not all one answer, so that an order mistake shows)
SPEC = """
name: ddp
task: vqa
dataset: {name: shapes, kwargs: {n_train: 1024, n_val: 300, n_test: 63, seed: 3}}
model:
  dim: 16
  encoders: {image: {name: mlp, kwargs: {dropout: 0.0}}, text: {name: bow}}
  fusion: {name: concat, kwargs: {dropout: 0.0}}
  head: {name: classifier, kwargs: {hidden: 16, dropout: 0.0}}
train: {epochs: 4, batch_size: 32, lr: 0.003, seed: 0, device: cpu}
eval: {batch_size: 8, missing: [text]}
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


def _predictions(folder: Path, run) -> list[dict]:
    client = MlflowClient(f"sqlite:///{folder / 'm.db'}")
    local = client.download_artifacts(run.info.run_id, "predictions/test.jsonl", str(folder))
    return [json.loads(line) for line in Path(local).read_text(encoding="utf-8").splitlines()]


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
        # stated tolerance: same accuracies (with and without the text input), loss within 1e-3
        # (the trained weights differ by float summation order of the averaged gradients)
        for key in ("test/vqa_acc", "test/vqa_acc without text"):
            assert b[seed].data.metrics[key] == a[seed].data.metrics[key], key
        assert abs(b[seed].data.metrics["test/loss"] - a[seed].data.metrics["test/loss"]) < 1e-3
        assert b[seed].data.metrics["best_epoch"] == a[seed].data.metrics["best_epoch"]
        single_preds, ddp_preds = _predictions(one, a[seed]), _predictions(two, b[seed])
        assert len(ddp_preds) == 63
        assert len({r["answer"] for r in single_preds}) > 1  # else any order would pass
        assert ddp_preds == single_preds  # every prediction, in the split's order


class _IdTask:
    """A stand-in task whose predictions name their example and whose loss is a token mean
    (it depends on which examples share a batch): a sharded evaluation must give the
    one-process predictions in order and the one-process mean loss, to the bit."""

    def tensors(self, split: str) -> dict[str, torch.Tensor]:
        g = torch.Generator().manual_seed(7)
        return {"id": torch.arange(21), "x": torch.randn(21, 3, generator=g)}

    def forward(self, model, batch, drop=frozenset()):
        return model(batch["x"])  # (B, 2)

    def loss(self, out, batch):
        tokens = batch["id"] % 4 + 1  # (B,) a different token count per example
        return (out.pow(2).sum(1) * tokens).sum() / tokens.sum()

    def predict(self, out, batch, model=None, drop=frozenset()) -> list[str]:
        return [f"{i}:{a}" for i, a in zip(batch["id"].tolist(), out.argmax(1).tolist())]


def _model() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Linear(3, 2)


def _sharded_rank(rank: int, port: int, folder: str) -> None:
    """One of two gloo ranks on loopback: a round-robin deal gathered back, and a sharded
    ``predict_split``; what this rank ends up with goes to ``rank<r>.json``."""
    torch.distributed.init_process_group(
        "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=2
    )
    try:
        items = list(range(7))[distributed.dealt()]  # rank 0: 0, 2, 4, 6; rank 1: 1, 3, 5
        gathered = distributed.gather_dealt([f"item {i}" for i in items])
        preds, loss = predict_split(_model(), _IdTask(), "test", 4, torch.device("cpu"))
        out = {"items": items, "gathered": gathered, "preds": preds, "loss": loss}
        Path(folder, f"rank{rank}.json").write_text(json.dumps(out), encoding="utf-8")
    finally:
        torch.distributed.destroy_process_group()


def test_sharded_evaluation_gathers_every_rank_the_one_process_results_in_order(tmp_path):
    preds, loss = predict_split(_model(), _IdTask(), "test", 4, torch.device("cpu"))
    assert [p.split(":")[0] for p in preds] == [str(i) for i in range(21)]
    torch.multiprocessing.spawn(_sharded_rank, args=(_free_port(), str(tmp_path)), nprocs=2)
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in range(2)]
    assert ranks[0]["items"] == [0, 2, 4, 6] and ranks[1]["items"] == [1, 3, 5]
    for got in ranks:  # 21 examples in 6 batches of 4 (the last of 1): 3 batches per rank
        assert got["gathered"] == [f"item {i}" for i in range(7)]
        assert got["preds"] == preds
        assert got["loss"] == loss  # summed in the one-process order: the same float


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
