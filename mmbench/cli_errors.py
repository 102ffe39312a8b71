"""One decorator for CLI commands: a user error prints ``error: …`` and exits 2, no traceback.

``MMBENCH_DEBUG=1`` re-raises instead, to show the traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from mmbench.errors import MmbenchError

F = TypeVar("F", bound=Callable[..., Any])


def report_user_errors(fn: F) -> F:
    """Wrap a click command callback: ``MmbenchError`` → stderr lines ``error: …``, exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MmbenchError as exc:
            if os.environ.get("MMBENCH_DEBUG"):
                raise
            for line in exc.problems:
                click.echo(f"error: {line}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]
