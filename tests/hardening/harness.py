"""Run malformed-input cases through the real CLI under a memory limit and a timeout.

Each case is a command line (``validate spec.yaml``, ``eval vqa --predictions …``) that must be
refused. The cases run in one worker process (``tests/hardening/worker.py``: the CLI in-process,
so torch is imported once) whose address space is capped with ``RLIMIT_AS``; each case gets a
``SIGALRM`` timeout inside the worker and a hard timeout outside it (the worker is killed and
restarted for the remaining cases). So a blow-up or a hang fails its case, never the machine,
and nothing here asserts on speed.

A result is one of:

- ``clear``: exit code 2, no traceback, every expected text (the file, the dotted key) present;
- ``unclear``: exit code 2 without a traceback, but an expected text is missing;
- ``traceback``: any other exception, exit code or a dead worker (memory);
- ``accepted``: exit code 0 — the input was wrongly taken as valid;
- ``hang``: the case ran past its timeout.
"""

from __future__ import annotations

import json
import os
import resource
import select
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 6 << 30  # address space of the worker: torch needs ~2.5 GiB of it
# Generous on purpose: they catch hangs and blow-ups, not slowness (a loaded 2-core machine can be
# 5x slower than an idle one); a clear error takes well under a second.
CASE_TIMEOUT = 60  # seconds per case inside the worker (SIGALRM)
HARD_TIMEOUT = 120  # seconds per case before the worker is killed
STARTUP_TIMEOUT = 600  # importing torch, mmbench and every component before the first case

# (args, expected texts) for a case, built in a folder of its own
Build = Callable[[Path], tuple[list[str], list[str]]]


@dataclass
class Case:
    id: str
    build: Build
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    id: str
    outcome: str  # clear | unclear | traceback | accepted | hang
    output: str
    missing: list[str]


def _limit_memory() -> None:  # runs in the worker before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


class _Worker:
    def __init__(self, cwd: Path):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "MLFLOW_DISABLE_TELEMETRY": "true"}
        env.pop("MMBENCH_DEBUG", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.hardening.worker", str(CASE_TIMEOUT)],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=_limit_memory,
        )
        if self._read(STARTUP_TIMEOUT) is None:
            raise RuntimeError("the hardening worker did not start (see its stderr)")

    def _read(self, timeout: float) -> dict | None:
        assert self.proc.stdout
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.close()
            return None
        return json.loads(line)

    def ask(self, request: dict) -> dict | None:
        """The worker's answer, or None when it died or ran past the timeout (then killed)."""
        assert self.proc.stdin
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        return self._read(HARD_TIMEOUT)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def classify(answer: dict | None, expected: list[str], timed_out: bool) -> tuple[str, list[str]]:
    if answer is None:
        return ("hang" if timed_out else "traceback"), []
    if answer.get("timeout"):
        return "hang", []
    output, code = answer["output"], answer["exit_code"]
    if answer.get("exception") or "Traceback" in output or code not in (0, 2):
        return "traceback", []
    if code == 0:
        return "accepted", []
    missing = [text for text in expected if text not in output]
    return ("unclear" if missing else "clear"), missing


def run_cases(cases: list[Case], folder: Path) -> list[Result]:
    """Build every case in its own sub-folder of ``folder`` and run it; one result per case."""
    results = []
    worker: _Worker | None = None
    try:
        for case in cases:
            where = folder / case.id
            where.mkdir(parents=True)
            args, expected = case.build(where)
            if worker is None:
                worker = _Worker(folder)
            request = {"args": args, "cwd": str(where), "env": case.env}
            answer = worker.ask(request)
            timed_out = answer is None and worker.proc.returncode in (-9, None)
            if answer is None:
                worker = None  # killed or dead: a fresh one for the next case
            outcome, missing = classify(answer, expected, timed_out)
            output = answer["output"] if answer else ""
            results.append(Result(case.id, outcome, output, missing))
    finally:
        if worker is not None:
            worker.close()
    return results


def counts(results: list[Result]) -> dict[str, int]:
    out = {"cases": len(results)}
    for outcome in ("clear", "unclear", "traceback", "accepted", "hang"):
        out[outcome] = sum(r.outcome == outcome for r in results)
    return out
