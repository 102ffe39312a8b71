"""Shared fixtures: every test gets its own real MLflow store in a temp folder."""

from __future__ import annotations

import os
import tempfile

import pytest
import torch

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
# claims re-check after a settle delay (1 s by default) that guards against delayed inserts of
# concurrent sweeps; in-process tests run one sweep at a time (the subprocess tests set it back)
os.environ.setdefault("MMBENCH_CLAIM_SETTLE_S", "0.1")
# the feature cache of frozen encoders: one fresh folder per test session, never ~/.cache
os.environ.setdefault("MMBENCH_FEATURE_CACHE_DIR", tempfile.mkdtemp(prefix="mmbench-features-"))
# generated datasets likewise (shared by the session's tests, never ~/.cache)
os.environ.setdefault("MMBENCH_DATASET_CACHE_DIR", tempfile.mkdtemp(prefix="mmbench-datasets-"))
# One intra-op thread: the suite's tensors are tiny, and on a shared 2-core machine OpenMP
# synchronisation dominated (a 32-example overfit took 4.1 s with 2 threads, 0.04 s with 1).
torch.set_num_threads(1)


@pytest.fixture
def mlflow_uri(tmp_path, monkeypatch) -> str:
    """A fresh SQLite MLflow store in tmp_path, also set as $MLFLOW_TRACKING_URI."""
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.chdir(tmp_path)
    return uri


@pytest.fixture
def write(tmp_path):
    """Write a dedented YAML text to tmp_path/name and return the path."""
    import textwrap

    def _write(text: str, name: str = "spec.yaml"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked ``gpu`` need CUDA: skipped (not failed) where torch sees no GPU."""
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs CUDA (marker gpu)")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)
