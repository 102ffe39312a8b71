"""``compare_groups``: per-group comparisons against a baseline, Holm over all of them."""

from __future__ import annotations

import math

import numpy as np

from mmbench.stats import GROUP_COLUMNS, compare, compare_groups
from mmbench.stats.simulate import Regime, simulate

SEED = Regime("seed", seed_sd=0.15)
FAMILIES = np.array(["count", "colour", "shape", "exist"])


def families(rng, n=1000):
    return FAMILIES[rng.integers(0, len(FAMILIES), n)]


def test_rows_columns_and_stated_correction():
    rng = np.random.default_rng(0)
    st = simulate(SEED, [5, 5, 5], [0.0, 0.0, 1.5], rng)
    fam = families(rng)
    table = compare_groups(st.scores, fam, "c0")
    assert list(table.columns) == GROUP_COLUMNS
    assert table.index.names == ["group", "configuration"]
    assert sorted(set(table.index.get_level_values("group"))) == sorted(FAMILIES)
    text = "Holm over 8 tested comparisons with 'c0' (4 groups × 2 configurations)"
    assert table.attrs["correction"] == text and (table["correction"] == text).all()
    # per group, the raw test is exactly compare on that group's examples
    mask = fam == "shape"
    alone = compare({k: v[:, mask] for k, v in st.scores.items()}, reference="c0")
    assert table.loc[("shape", "c2"), "p_raw"] == alone.loc["c2", "p_raw"]
    assert table.loc[("shape", "c2"), "n_examples"] == mask.sum()
    # corrected over all 8: never below the per-group Holm over 2
    assert table.loc[("shape", "c2"), "p"] >= alone.loc["c2", "p"]
    assert table.xs("c2", level="configuration")["significant"].all()  # +1.5 logit ≈ 20 points


def test_family_wise_error_over_groups_and_configurations():
    """A/A with 3 configurations × 4 families: ≤ 5 % of studies mark anything."""
    rng = np.random.default_rng(1)
    studies, marked = 120, 0
    for _ in range(studies):
        st = simulate(SEED, [3, 3, 3], [0.0, 0.0, 0.0], rng)
        marked += bool(compare_groups(st.scores, families(rng), "c0")["significant"].any())
    assert marked / studies <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / studies)


def test_a_group_with_one_cluster_is_not_tested_across_examples():
    rng = np.random.default_rng(2)
    st = simulate(Regime("c", n_clusters=10, cluster_sd=0.5), [3, 3], [0.0, 0.0], rng)
    label = np.where(st.groups == 0, "one image", "rest")
    table = compare_groups(st.scores, label, "c0", groups=st.groups)
    row = table.loc[("one image", "c1")]
    assert row["n_clusters"] == 1 and row["interval_covers"] == "seeds only (test set fixed)"
    assert "one cluster" in row["note"]
