"""Worker for the hardening harness: runs CLI command lines in-process, one JSON line each.

Reads ``{"args": [...], "cwd": ..., "env": {...}}`` lines on stdin and answers
``{"exit_code", "output", "exception", "timeout"}`` lines on stdout. Started by
:mod:`tests.hardening.harness` under ``RLIMIT_AS``; argv[1] is the per-case timeout in seconds.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback


class _Timeout(BaseException):  # not an Exception: the code under test must not swallow it
    pass


def _alarm(signum, frame):
    raise _Timeout


def main() -> None:
    timeout = int(sys.argv[1])
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    from click.testing import CliRunner

    import mmbench.evaluation  # noqa: F401  (imported before "ready": cases time only themselves)
    from mmbench.cli import cli
    from mmbench.registry import ALL

    for registry in ALL.values():
        registry.names()  # imports torch and every component
    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()

    signal.signal(signal.SIGALRM, _alarm)
    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        os.chdir(request["cwd"])
        saved = {k: os.environ.get(k) for k in request["env"]}
        os.environ.update(request["env"])
        answer = {"exit_code": None, "output": "", "exception": None, "timeout": False}
        signal.alarm(timeout)
        try:
            result = CliRunner().invoke(cli, request["args"], catch_exceptions=True)
            answer["exit_code"] = result.exit_code
            answer["output"] = result.output[-20_000:]
            exc = result.exception
            if exc is not None and not isinstance(exc, SystemExit):
                answer["exception"] = "".join(
                    traceback.format_exception(type(exc), exc, exc.__traceback__)
                )[-5_000:]
        except _Timeout:
            answer["timeout"] = True
        except BaseException as exc:  # MemoryError under RLIMIT_AS, RecursionError, …
            answer["exception"] = f"{type(exc).__name__}: {exc}"[:5_000]
        finally:
            signal.alarm(0)
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
