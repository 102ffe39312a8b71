"""Tiny sweeps for the claim and interrupt tests, run as real ``mmbench`` subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from mlflow.entities import ViewType
from mlflow.tracking import MlflowClient

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from mmbench.cli import main; main()"]

SPEC = """
name: claims
task: vqa
dataset: {{name: shapes, kwargs: {{n_train: {n_train}, n_val: 16, n_test: 16, seed: 3}}}}
model:
  dim: 8
  encoders:
    image: {{name: mlp}}
    text: {{name: bow}}
  fusion: {{name: concat}}
  head: {{name: classifier, kwargs: {{hidden: 8}}}}
train: {{epochs: {epochs}, batch_size: 16, lr: 0.003, seed: 0, log_every: 1, device: cpu}}
tracking: {{experiment: claims}}
sweep:
  model.fusion.name: [concat, sum]
  train.seed: {seeds}
"""


def write_spec(folder: Path, n_train: int = 32, epochs: int = 1, seeds: str = "[0, 1]") -> Path:
    path = folder / "spec.yaml"
    text = SPEC.format(n_train=n_train, epochs=epochs, seeds=seeds)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def env(uri: str, **extra: str) -> dict[str, str]:
    """The environment of an ``mmbench`` subprocess on store ``uri``; ``MMBENCH_TEST_MARK``
    lets a test find every process it started (children inherit it)."""
    out = dict(os.environ)
    out.update(
        PYTHONPATH=str(ROOT),
        MLFLOW_TRACKING_URI=uri,
        MLFLOW_DISABLE_TELEMETRY="true",
        MMBENCH_TEST_MARK=extra.pop("mark", uuid.uuid4().hex),
        OMP_NUM_THREADS="1",
        MMBENCH_CLAIM_SETTLE_S="1",  # the default, as a user's sweeps have it
    )
    out.update(extra)
    return out


def start(args: list[str], cwd: Path, environ: dict[str, str], log: Path) -> subprocess.Popen:
    fh = log.open("w")
    return subprocess.Popen(
        CLI + args,
        cwd=cwd,
        env=environ,
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(condition: Callable[[], object], timeout: float = 300, what: str = "") -> object:
    """Poll ``condition`` until it returns something truthy (generous: loaded machines)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")


def runs(uri: str, experiment: str = "claims", deleted: bool = False) -> list:
    client = MlflowClient(uri)
    exp = client.get_experiment_by_name(experiment)
    if exp is None:
        return []
    view = ViewType.ALL if deleted else ViewType.ACTIVE_ONLY
    return client.search_runs([exp.experiment_id], run_view_type=view, max_results=1000)


def train_runs(uri: str, status: str | None = None) -> list:
    out = [r for r in runs(uri) if r.data.tags.get("mmbench.kind") == "train"]
    return [r for r in out if status is None or r.info.status == status]


def marked_processes(mark: str) -> list[int]:
    """Pids of live processes whose environment holds ``MMBENCH_TEST_MARK=mark``."""
    found = []
    needle = f"MMBENCH_TEST_MARK={mark}".encode()
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if needle in environ.read_bytes():
                stat = (environ.parent / "stat").read_text()
                if stat[stat.rfind(")") + 2] != "Z":
                    found.append(int(environ.parent.name))
        except OSError:
            continue
    return found
