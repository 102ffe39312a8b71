"""``compare_groups``: the same calibrated comparison per question family / answer type / noise
level, against one named baseline, corrected over every comparison made.

Each group is the subset of test examples with that label; within it every configuration is
compared with the baseline exactly as :func:`mmbench.stats.compare` does (seed-level
Welch–Satterthwaite t with the paired, cluster-robust test-population component). Claims per
group multiply the chances of a false positive, so the raw p-values of all (group ×
configuration) comparisons form one family and are Holm-corrected together (Holm 1979); the
result says so in its ``correction`` column and attribute.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mmbench.registry import did_you_mean
from mmbench.stats.compare import compare
from mmbench.stats.inputs import StatsInputError, prepare
from mmbench.stats.multiple import holm

GROUP_COLUMNS = [
    "n_examples", "n_clusters", "mean", "ci_low", "ci_high", "se", "df", "n_seeds",
    "interval_covers", "delta", "delta_low", "delta_high", "delta_se", "delta_df", "p_raw", "p",
    "significant",
    "is_reference", "p_improvement", "p_improvement_low", "p_improvement_high", "note",
    "correction",
]  # fmt: skip


def _labels(group_of_example: object, n_examples: int) -> tuple[np.ndarray, list]:
    arr = np.asarray(group_of_example, dtype=object)
    if arr.ndim != 1 or len(arr) != n_examples:
        raise StatsInputError(
            f"compare_groups: group_of_example: expected one label per test example, shape "
            f"({n_examples},), found shape {arr.shape}"
        )
    if pd.isna(arr).any():
        at = int(np.flatnonzero(pd.isna(arr))[0])
        raise StatsInputError(f"compare_groups: group_of_example: missing label at column {at}")
    try:
        codes, uniques = pd.factorize(arr, sort=True)
    except TypeError:  # labels of mixed types: keep the order of first appearance
        codes, uniques = pd.factorize(arr)
    return codes, list(uniques)


def compare_groups(
    scores: Mapping[str, object],
    group_of_example: object,
    baseline: str,
    groups: object | None = None,
    higher_is_better: bool = True,
    alpha: float = 0.05,
    seed: int = 0,
    denominators: Mapping[str, object] | None = None,
    *,
    pool_seed_variance: bool = False,
) -> pd.DataFrame:
    """Per group, every configuration against ``baseline``, Holm over all comparisons.

    Args:
        scores, groups, higher_is_better, alpha, seed, denominators, pool_seed_variance: as in
            :func:`mmbench.stats.compare` (``groups`` are cluster ids, e.g. image ids).
        group_of_example: ``(n_examples,)`` label of each test example (question family,
            answer type, noise level) — the breakdown's rows.
        baseline: the configuration every other one is compared with (fixed in advance).

    Returns:
        DataFrame indexed by ``(group, configuration)`` with :data:`GROUP_COLUMNS` — the
        columns of ``compare`` computed on the group's examples, ``n_examples`` / ``n_clusters``
        in the group, ``p`` Holm-corrected over every (group × configuration) comparison that was
        tested, and ``correction`` (also in ``attrs``) saying over how many.
    """
    prep = prepare(scores, groups, denominators, where="compare_groups")
    if baseline not in prep.names:
        raise StatsInputError(
            f"compare_groups: unknown baseline '{baseline}'"
            f"{did_you_mean(str(baseline), prep.names)} (configurations: {', '.join(prep.names)})"
        )
    codes, labels = _labels(group_of_example, prep.n_examples)
    cluster_ids = None if groups is None else np.asarray(groups, dtype=object)
    parts = []
    for code, label in enumerate(labels):
        cols = np.flatnonzero(codes == code)
        sub = {n: x[:, cols] for n, x in zip(prep.names, prep.scores)}
        dens = None
        if prep.denominators is not None:
            dens = {n: d[:, cols] for n, d in zip(prep.names, prep.denominators)}
        try:
            table = compare(
                sub,
                reference=baseline,
                groups=None if cluster_ids is None else cluster_ids[cols],
                higher_is_better=higher_is_better,
                alpha=alpha,
                seed=seed,
                denominators=dens,
                pool_seed_variance=pool_seed_variance,
            )
        except StatsInputError as exc:  # e.g. a group whose denominators sum to zero
            table = pd.DataFrame(index=pd.Index(prep.names, name="configuration"))
            table["note"] = f"not compared: {exc}"
            table["is_reference"] = [n == baseline for n in prep.names]
        table["n_examples"] = len(cols)
        table["n_clusters"] = len(np.unique(prep.cluster[cols]))
        table.insert(0, "group", label)
        parts.append(table.reset_index())
    out = pd.concat(parts, ignore_index=True).set_index(["group", "configuration"])
    out = out.reindex(columns=[c for c in GROUP_COLUMNS if c != "correction"])
    out["p"] = holm(out["p_raw"].to_numpy(dtype=np.float64))
    out["significant"] = (out["p"] < alpha).to_numpy()
    tested = int(out["p"].notna().sum())
    others = len(prep.names) - 1
    correction = (
        f"Holm over {tested} tested comparisons with '{baseline}' "
        f"({len(labels)} groups × {others} configurations)"
    )
    out["correction"] = correction
    out.attrs.update(baseline=baseline, alpha=alpha, correction=correction, n_groups=len(labels))
    return out
