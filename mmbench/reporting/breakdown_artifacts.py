"""Read the runs' ``scores/<split>_breakdown.json`` artifacts back from MLflow.

One small JSON per run (:mod:`mmbench.reporting.artifacts`; 45 runs in a local sqlite store:
0.2 s). A run without the artifact (e.g. an external ``mmbench eval --log`` run) or with an
unreadable one is skipped.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from mmbench.reporting.artifacts import download
from mmbench.reporting.breakdown import Breakdown, BreakdownRecord

log = logging.getLogger(__name__)


def artifact_name(split: str = "test") -> str:
    return f"scores/{split}_breakdown.json"


def _valid(data: object) -> bool:
    """``{metric: {kind: {category: number}}}``."""
    return isinstance(data, dict) and all(
        isinstance(kinds, dict)
        and all(
            isinstance(cats, dict)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in cats.values())
            for cats in kinds.values()
        )
        for kinds in data.values()
    )


def _parse(local: Path, where: str) -> Breakdown | None:
    try:
        data = json.loads(local.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # not JSON / not UTF-8
        log.warning("skipped unreadable %s: %s", where, exc)
        return None
    if not _valid(data):
        log.warning("skipped %s: not {metric: {kind: {group: score}}}", where)
        return None
    return data


def read_breakdown(artifact_uri: str, uri: str, dst: Path, split: str = "test") -> Breakdown | None:
    """The breakdown of the run whose artifacts live at ``artifact_uri``; None if it has none."""
    name = artifact_name(split)
    local = download(artifact_uri, name, uri, dst)
    return None if local is None else _parse(local, f"{name} under {artifact_uri}")


def breakdown_records(
    runs: pd.DataFrame, origin, split: str = "test", workers: int = 8
) -> list[BreakdownRecord]:
    """One record per run of ``runs`` (from ``leaderboard.configurations``: ``_config``,
    ``_group``, ``artifact_uri``); ``breakdown`` is None where the run logged none.
    """
    if runs.empty or "artifact_uri" not in runs:
        return []
    name = artifact_name(split)
    found = origin.fetch_all(runs["artifact_uri"], name, lambda p: _parse(p, name), workers)
    missing = sum(b is None for b in found)
    if missing:
        log.info("%d of %d runs have no %s; skipped", missing, len(found), name)
    return [
        BreakdownRecord(str(label), str(group), b)
        for label, group, b in zip(runs["_config"], runs["_group"], found)
    ]
