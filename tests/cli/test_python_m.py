"""``python -m mmbench`` is the same command line as the ``mmbench`` script."""

from __future__ import annotations

import subprocess
import sys


def test_python_m_mmbench_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "mmbench", "ls", "fusions"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "concat" in out.stdout and "film" in out.stdout


def test_python_m_mmbench_bad_input_exits_2_without_traceback(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "mmbench", "run", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
