"""``mmbench compare RUN_A RUN_B``: do two runs agree, and what differs between them?

Two runs of one configuration (``tags.mmbench.group``) with the same spec hash (seed included)
should give identical scores: any difference is drift (code, data, metric version, hardware).
With different seeds they are two draws, and agree when their headline difference is within
what the configuration's own seeds spread (|Δ| ≤ 1.96·√2·s, ``s`` the sample standard deviation
of the headline over the configuration's counted runs, which needs ≥ 3 of them); with fewer
runs no verdict is given. Listed beside the scores: code commit, mmbench version, task version,
metric fingerprints, the test set (SHA-256 of the per-example ids) and every param that differs.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

import pandas as pd

from mmbench.errors import MmbenchError
from mmbench.reporting.leaderboard import configurations
from mmbench.reporting.seed_stats import artifact_name
from mmbench.reporting.source import StoreSource
from mmbench.tracking import schema

AGREE, DRIFT, NO_VERDICT, DIFFERENT = "agree", "drift", "no verdict", "different configurations"
TAGS = {
    "code commit": schema.GIT_COMMIT,
    "mmbench version": schema.VERSION,
    "task version": schema.TASK_VERSION,
    "spec hash": schema.SPEC_HASH,
    "CPU": schema.ENV_CPU,
    "torch": schema.ENV_TORCH,
    "torch threads": schema.ENV_THREADS,
    "libraries": schema.ENV_PACKAGES,
    "CUDA device": schema.ENV_CUDA,
}


@dataclass
class RunComparison:
    verdict: str  # agree | drift | no verdict | different configurations
    lines: list[str] = field(default_factory=list)
    differences: dict[str, tuple[str, str]] = field(default_factory=dict)  # what → (A, B)
    delta: float = math.nan  # B − A on the headline metric

    def text(self) -> str:
        return "\n".join([*self.lines, f"verdict: {self.verdict}"])


def _run(client, run_id: str):
    from mlflow.exceptions import MlflowException

    try:
        return client.get_run(run_id)
    except MlflowException:
        raise MmbenchError(f"compare: no run '{run_id}' in the MLflow store") from None


def _test_set(origin: StoreSource, artifact_uri: str, split: str) -> tuple[str, object]:
    """A short SHA-256 of the run's test example ids, and its per-example frame (or None)."""
    frame = origin.fetch_frames([artifact_uri], artifact_name(split))[0]
    if frame is None or "id" not in frame:
        return "–", frame
    ids = "\n".join(sorted(frame["id"].astype(str)))
    return hashlib.sha256(ids.encode()).hexdigest()[:16], frame


def compare_runs(run_a: str, run_b: str, uri: str | None = None, split: str = "test"):
    """Compare two finished runs of the store (see the module docstring)."""
    origin = StoreSource(uri)
    a, b = _run(origin.client, run_a), _run(origin.client, run_b)
    ta, tb = a.data.tags, b.data.tags
    primary = ta.get(schema.PRIMARY_METRIC) or tb.get(schema.PRIMARY_METRIC)
    headline = f"{split}/{primary}" if primary else None
    shared = sorted(k for k in a.data.metrics if k in b.data.metrics and k.startswith(f"{split}/"))
    if headline not in shared:
        headline = shared[0] if shared else None
    if headline is None:
        raise MmbenchError(f"compare: the runs share no '{split}/…' metric")
    out = RunComparison(NO_VERDICT)
    for name, run in (("A", a), ("B", b)):
        t = run.data.tags
        out.lines.append(
            f"run {name}: {run.info.run_id} ({run.info.run_name}; label "
            f"{t.get(schema.LABEL, '–')}, seed {t.get(schema.SEED, '–')})"
        )
    for what, tag in TAGS.items():
        if ta.get(tag) != tb.get(tag):
            out.differences[what] = (ta.get(tag, "–"), tb.get(tag, "–"))
    prefix = schema.METRIC_FINGERPRINT
    for key in sorted({k for k in (*ta, *tb) if k.startswith(prefix)}):
        if ta.get(key) != tb.get(key):
            out.differences[f"metric {key[len(prefix) :]}"] = (ta.get(key, "–"), tb.get(key, "–"))
    sets = [_test_set(origin, r.info.artifact_uri, split) for r in (a, b)]
    if sets[0][0] != sets[1][0]:
        out.differences["test set (SHA-256 of ids)"] = (sets[0][0], sets[1][0])
    pa, pb = a.data.params, b.data.params
    for key in sorted(set(pa) | set(pb)):
        if pa.get(key) != pb.get(key):
            out.differences[f"param {key}"] = (pa.get(key, "–"), pb.get(key, "–"))
    for key in shared:
        va, vb = a.data.metrics[key], b.data.metrics[key]
        out.lines.append(f"{key}: A {va:.4f}, B {vb:.4f}, Δ {vb - va:+.4f}")
    out.delta = b.data.metrics[headline] - a.data.metrics[headline]
    frames = [s[1] for s in sets]
    key = headline.split("/", 1)[1]
    if all(f is not None and key in f and "id" in f for f in frames):
        x, y = (f.set_index(f["id"].astype(str))[key] for f in frames)
        common = x.index.intersection(y.index)
        changed = int((x[common] != y[common]).sum())
        out.lines.append(f"per example ({key}): {changed:,} of {len(common):,} shared test "
                         "examples score differently")  # fmt: skip
    group_a, group_b = ta.get(schema.GROUP), tb.get(schema.GROUP)
    if group_a is None or group_a != group_b:
        out.verdict = DIFFERENT
        out.lines.append(f"configurations: {group_a or '–'} vs {group_b or '–'} ({schema.GROUP})")
    elif ta.get(schema.SPEC_HASH) is not None and ta.get(schema.SPEC_HASH) == tb.get(
        schema.SPEC_HASH
    ):
        same = all(a.data.metrics[k] == b.data.metrics[k] for k in shared)
        out.verdict = AGREE if same else DRIFT
        out.lines.append("same configuration and seed (one spec hash): the scores should be "
                         "identical" + ("" if same else "; they are not"))  # fmt: skip
    else:
        out.verdict, note = _seed_noise(origin, a, headline, out.delta)
        out.lines.append(note)
    for what, (va, vb) in out.differences.items():
        out.lines.append(f"differs: {what}: {va} → {vb}")
    if not out.differences:
        out.lines.append("no difference in code commit, versions, metric fingerprints, test set "
                         "or params")  # fmt: skip
    return out


def _seed_noise(origin: StoreSource, a, headline: str, delta: float) -> tuple[str, str]:
    """Verdict for two seeds of one configuration, from the spread of all its seeds."""
    experiment = origin.client.get_experiment(a.info.experiment_id).name
    configs = configurations(origin.runs(experiment))
    group = configs[configs.get(f"tags.{schema.GROUP}") == a.data.tags[schema.GROUP]]
    values = group.get(f"metrics.{headline}", pd.Series(dtype=float)).dropna().astype(float)
    if len(values) < 3:
        return NO_VERDICT, (
            f"different seeds of one configuration; its {len(values)} counted run(s) are too few "
            "to estimate seed noise (needs ≥ 3)"
        )
    s = float(values.std(ddof=1))
    bound = 1.96 * math.sqrt(2) * s
    verdict = AGREE if abs(delta) <= bound else DRIFT
    return verdict, (
        f"different seeds of one configuration: |Δ| = {abs(delta):.4f} against 1.96·√2·s = "
        f"{bound:.4f} (s = {s:.4f}, seed std of {headline} over its {len(values)} counted runs)"
    )
