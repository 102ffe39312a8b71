"""Ray for tests: loopback only, no dashboard or usage statistics, a short temp folder."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import tempfile
import textwrap
import threading
import time

from mlflow.entities import ViewType
from mlflow.tracking import MlflowClient

from mmbench.tracking import schema

SPEC = """
name: rayt
task: vqa
dataset: {name: shapes, kwargs: {n_train: 96, n_val: 16, n_test: 16, seed: 3}}
model:
  dim: 16
  encoders: {image: {name: cnn}, text: {name: bow}}
  head: {name: classifier, kwargs: {hidden: 16}}
train: {epochs: 2, batch_size: 16, seed: 0, log_every: 1}
tracking: {experiment: ray_sweep}
execution: {backend: ray, resources: {cpus: 1}, max_retries: 1}
sweep: {train.seed: [0, 1]}
"""


_FOLDER: list[str] = []


def loopback_env() -> str:
    """Set Ray's loopback environment (before Ray is imported: it reads it at import) and a
    short temp folder as Ray's $RAY_TMPDIR (Unix socket paths are length-limited); one folder
    per test process, removed when it exits."""
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    if not _FOLDER:
        _FOLDER.append(tempfile.mkdtemp(prefix="mmbray", dir="/tmp"))
        atexit.register(shutil.rmtree, _FOLDER[0], True)
    os.environ["RAY_TMPDIR"] = _FOLDER[0]
    return _FOLDER[0]


def write_spec(tmp_path, extra: str = "") -> str:
    path = tmp_path / "ray.yaml"
    path.write_text(textwrap.dedent(SPEC) + textwrap.dedent(extra), encoding="utf-8")
    return path


def train_runs(uri: str, experiment: str = "ray_sweep"):
    client = MlflowClient(uri)
    exp = client.get_experiment_by_name(experiment)
    runs = client.search_runs([exp.experiment_id], run_view_type=ViewType.ALL, max_results=1000)
    return [r for r in runs if r.data.tags.get(schema.KIND) == schema.KIND_TRAIN]


class Killer(threading.Thread):
    """SIGKILLs the worker process of the first training run seen RUNNING, once it has
    trained a little (a metric logged) or has been running ``patience`` seconds."""

    def __init__(self, uri: str, patience: float = 1.5, experiment: str = "ray_sweep",
                 stage: str | None = None):  # fmt: skip
        super().__init__(daemon=True)
        self.uri, self.patience, self.experiment = uri, patience, experiment
        self.stage = stage  # only runs tagged with this mmbench.stage (e.g. "trial")
        self.killed: tuple[str, int] | None = None  # (run id, pid)
        self.done = threading.Event()

    def run(self) -> None:
        seen: dict[str, float] = {}
        while not self.done.is_set() and self.killed is None:
            try:
                runs = train_runs(self.uri, self.experiment)
            except Exception:  # the experiment does not exist yet
                runs = []
            for r in runs:
                pid = r.data.tags.get(schema.OWNER_PID)
                if r.info.status != "RUNNING" or not pid:
                    continue
                if self.stage and r.data.tags.get(schema.STAGE) != self.stage:
                    continue
                first = seen.setdefault(r.info.run_id, time.monotonic())
                if r.data.metrics or time.monotonic() - first > self.patience:
                    os.kill(int(pid), signal.SIGKILL)
                    self.killed = (r.info.run_id, int(pid))
                    return
            time.sleep(0.05)
