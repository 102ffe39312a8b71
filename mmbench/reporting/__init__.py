"""Reports: MLflow runs → pandas → statistics → Markdown/CSV."""

from __future__ import annotations

from pathlib import Path

from mmbench.reporting.leaderboard import Leaderboard, leaderboard, write_report
from mmbench.reporting.runs import runs_frame
from mmbench.tracking.store import init_store, resolve_uri

__all__ = ["Leaderboard", "leaderboard", "make_report", "runs_frame", "write_report"]


def make_report(
    experiment: str, uri: str | None = None, out_root: str | Path = "reports", split: str = "test"
) -> tuple[Leaderboard, Path]:
    """Read ``experiment`` from the store and write ``reports/<experiment>/leaderboard.md``."""
    uri = resolve_uri(uri)
    client = init_store(uri)
    board = leaderboard(runs_frame(client, experiment), split=split)
    path = write_report(board, experiment, Path(out_root) / experiment, uri)
    return board, path
