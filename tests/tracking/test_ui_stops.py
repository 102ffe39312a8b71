"""``mmbench ui`` stopped with SIGTERM leaves no process of MLflow's server tree behind."""

from __future__ import annotations

import os
import signal
import socket
import urllib.request
import uuid

import pytest

from tests.sweeps.helpers import env, marked_processes, start, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as resp:
            return resp.status == 200
    except OSError:
        return False


def test_sigterm_of_mmbench_ui_ends_the_whole_server_tree(tmp_path, mlflow_uri):
    port, mark = _free_port(), uuid.uuid4().hex
    proc = start(
        ["ui", "--port", str(port)], tmp_path, env(mlflow_uri, mark=mark), tmp_path / "log"
    )
    try:
        wait_for(lambda: _answers(port), timeout=600, what="the MLflow UI to answer")
        tree = marked_processes(mark)
        assert len(tree) >= 2  # mmbench and at least the server
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=120) == 143
        wait_for(lambda: not marked_processes(mark), timeout=120, what="every process to end")
        assert not _answers(port)
    finally:
        for pid in marked_processes(mark):
            os.kill(pid, signal.SIGKILL)
