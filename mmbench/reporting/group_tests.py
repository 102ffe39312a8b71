"""The breakdown's tests: per category (question family, answer type), every configuration
against the report's reference, with :func:`mmbench.stats.compare_groups`.

The leaderboard's statistics already hold each compared run's per-example headline scores,
aligned on the shared test example ids (:class:`mmbench.reporting.seed_stats.Aligned`). The
category of each example is read from one run's ``predictions/<split>.jsonl``: a record names
its example by the task's ``id_key`` field (``question_id`` for VQA, ``image_id`` for
captioning, ``id`` otherwise), the same value as the per-example scores' ``id``; VQA records
carry ``answer_type`` and ``question_type``. Holm runs over every (category × configuration)
comparison of one breakdown table; the table says so.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.registry import TASKS
from mmbench.reporting.breakdown import BreakdownTable
from mmbench.reporting.seed_stats import SeedStats
from mmbench.stats import compare_groups
from mmbench.tracking import schema

log = logging.getLogger(__name__)


def id_key_of(configs: pd.DataFrame) -> str:
    """The field that names an example in the runs' prediction records: their task's
    ``id_key`` (``id`` where the task is not recorded or not registered here)."""
    names = configs.get(f"tags.{schema.TASK}")
    names = [] if names is None else names.dropna().astype(str).unique()
    if len(names) == 1 and names[0] in TASKS:
        return getattr(TASKS.get(names[0]), "id_key", "id")
    return "id"


def _records(local: Path, id_key: str = "id") -> dict[str, dict] | None:
    """``predictions/<split>.jsonl`` as example id (field ``id_key``) → record; None if
    unreadable or a record lacks the field."""
    out: dict[str, dict] = {}
    try:
        with local.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    out[str(rec[id_key])] = rec
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("skipped unreadable %s: %s", local.name, exc)
        return None
    return out


def example_categories(
    configs: pd.DataFrame, reference: str, origin, split: str
) -> dict[str, dict] | None:
    """Example id → prediction record of one run of the ``reference`` configuration."""
    runs = configs[configs["_config"].astype(str) == reference]
    if runs.empty or "artifact_uri" not in runs:
        return None
    name = f"predictions/{split}.jsonl"
    read = partial(_records, id_key=id_key_of(runs))
    found = origin.fetch_all(runs["artifact_uri"].iloc[:1], name, read, 1)
    return found[0] if found else None


def group_tests(
    tables: Sequence[BreakdownTable],
    stats: SeedStats | None,
    configs: pd.DataFrame,
    origin,
    split: str = "test",
) -> dict[tuple[str, str], pd.DataFrame]:
    """``(metric, kind)`` → ``compare_groups`` table, for each breakdown table of the headline
    metric whose categories every shared test example has; empty when nothing can be tested."""
    if stats is None or stats.aligned is None or stats.reference is None:
        return {}
    key = stats.metric.split("/", 1)[1]
    wanted = [t for t in tables if t.metric == key]
    if not wanted:
        return {}
    records = example_categories(configs, stats.reference, origin, split)
    if not records:
        return {}
    aligned = stats.aligned
    out = {}
    for t in wanted:
        cats = [records.get(i, {}).get(t.kind) for i in aligned.ids]
        if any(c is None or c == "" for c in cats):
            log.info("no per-group tests by %s: not every test example has one", t.kind)
            continue
        out[(t.metric, t.kind)] = compare_groups(
            aligned.scores,
            np.asarray([str(c) for c in cats], dtype=object),
            baseline=stats.reference,
            groups=aligned.clusters,
            higher_is_better=stats.higher_is_better,
            denominators=aligned.denominators,
        )
    return out
