"""``compare``: the table's contract, and its numbers against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from mmbench.stats import COLUMNS, compare
from mmbench.stats.simulate import Regime, simulate


def study(seeds=(3, 3, 3), shifts=(0.0, 0.0, 0.0), seed=0, **regime):
    return simulate(Regime("t", **regime), list(seeds), list(shifts), np.random.default_rng(seed))


def test_table_has_the_documented_columns_in_the_given_order():
    st = study()
    table = compare(st.scores)
    assert list(table.columns) == COLUMNS
    assert list(table.index) == ["c0", "c1", "c2"] and table.index.name == "configuration"
    assert table.attrs["reference"] == table.attrs["best"] == table["mean"].idxmax()
    assert "all 3 pairwise" in table.attrs["correction"]
    assert (table["interval_covers"] == "seeds and examples").all()


def test_reference_row_has_no_test_and_the_others_are_corrected():
    st = study(shifts=(0.0, 0.0, 1.0))
    table = compare(st.scores, reference="c0")
    ref = table.loc["c0"]
    assert ref["is_reference"] and math.isnan(ref["p"]) and not ref["significant"]
    assert table["tied_with_best"].isna().all()  # only defined when the best is the reference
    others = table.drop("c0")
    assert (others["p"] >= others["p_raw"]).all()
    np.testing.assert_allclose(others["delta"], others["mean"] - ref["mean"])
    assert (others["delta_low"] < others["delta"]).all() and (
        others["delta"] < others["delta_high"]
    ).all()
    assert table.loc["c2", "significant"]  # a logit ≈ 15 points with 3 seeds


def test_welch_t_test_when_examples_add_no_variance():
    """Every example of a seed scores the seed's value: no example component, so the test is
    exactly Welch's (scipy.stats.ttest_ind with equal_var=False)."""
    a, b = np.array([0.61, 0.58, 0.66, 0.6]), np.array([0.55, 0.57, 0.52])
    scores = {"a": np.repeat(a[:, None], 50, axis=1), "b": np.repeat(b[:, None], 50, axis=1)}
    table = compare(scores, reference="b")
    welch = sps.ttest_ind(a, b, equal_var=False)
    assert table.loc["a", "p_raw"] == pytest.approx(welch.pvalue, rel=1e-9)
    assert table.loc["a", "df"] == pytest.approx(len(a) - 1)  # one seed component: n − 1


def test_variance_of_a_mean_is_the_anova_estimate():
    """Without clusters: Var = (MS_seeds + MS_examples − MS_residual) / (n N)."""
    x = study(seeds=(4,), shifts=(0.0,)).scores["c0"]
    n, big_n = x.shape
    g, rows, cols = x.mean(), x.mean(axis=1), x.mean(axis=0)
    ms_rows = big_n * np.sum((rows - g) ** 2) / (n - 1)
    ms_cols = n * np.sum((cols - g) ** 2) / (big_n - 1)
    resid = x - rows[:, None] - cols[None, :] + g
    ms_res = np.sum(resid**2) / ((n - 1) * (big_n - 1))
    table = compare({"c0": x})
    assert table.loc["c0", "se"] ** 2 == pytest.approx((ms_rows + ms_cols - ms_res) / (n * big_n))


def test_cluster_ids_make_duplicated_examples_count_once():
    """Repeating every example 3 times adds no information: with the example index as cluster
    id the interval is unchanged; treated as independent examples it would shrink."""
    st = study(seeds=(3, 3), shifts=(0.0, 0.3), seed=2)
    rep = {k: np.repeat(v, 3, axis=1) for k, v in st.scores.items()}
    base = compare(st.scores, reference="c0")
    clustered = compare(rep, reference="c0", groups=np.repeat(np.arange(1000), 3))
    naive = compare(rep, reference="c0")
    np.testing.assert_allclose(clustered["se"], base["se"], rtol=1e-9)
    np.testing.assert_allclose(clustered["p_raw"], base["p_raw"], rtol=1e-9, equal_nan=True)
    assert (naive["se"] < base["se"]).all()


def test_ratio_metric_with_unit_denominators_is_the_mean_metric():
    st = study(seeds=(3, 2), shifts=(0.0, 0.0))
    ones = {k: np.ones_like(v) for k, v in st.scores.items()}
    pd.testing.assert_frame_equal(
        compare(st.scores, reference="c0"), compare(st.scores, reference="c0", denominators=ones)
    )


def test_ratio_metric_is_sum_over_sum_and_scale_free():
    st = study(seeds=(3, 3), shifts=(0.0, 0.2), score="ratio", n_clusters=20, cluster_sd=0.5)
    table = compare(st.scores, reference="c0", groups=st.groups, denominators=st.denominators,
                    higher_is_better=False)  # fmt: skip
    x, d = st.scores["c1"], st.denominators["c1"]
    assert table.loc["c1", "mean"] == pytest.approx(np.mean(x.sum(1) / d.sum(1)))
    scaled = compare({k: 2 * v for k, v in st.scores.items()}, reference="c0", groups=st.groups,
                     denominators={k: 2 * v for k, v in st.denominators.items()})  # fmt: skip
    np.testing.assert_allclose(scaled["se"], table["se"], rtol=1e-9)
    assert (
        table.attrs["best"] == "c0" if table.loc["c0", "mean"] < table.loc["c1", "mean"] else "c1"
    )


def test_one_seed_gets_no_test_and_an_interval_over_test_examples_only():
    st = study(seeds=(3, 1))
    table = compare(st.scores, reference="c0")
    row = table.loc["c1"]
    assert math.isnan(row["p"]) and math.isnan(row["p_raw"]) and not row["significant"]
    assert row["interval_covers"] == "test examples only" and "needs ≥ 2 seeds" in row["note"]
    assert row["ci_low"] < row["mean"] < row["ci_high"]
    assert "0 tested" in table.attrs["correction"]


def test_pooled_seed_variance_is_borrowed_and_said():
    st = study(seeds=(4, 3, 1))
    table = compare(st.scores, reference="c0", pool_seed_variance=True)
    row = table.loc["c2"]
    assert not math.isnan(row["p"]) and row["interval_covers"] == "seeds and examples"
    assert "seed variance pooled from c0, c1 (df 5)" in row["note"]
    assert table.loc["c1", "note"] == ""  # multi-seed configurations keep their own variance
    # the borrowed seed variance widens the 1-seed interval beyond the test examples only
    alone = compare(st.scores, reference="c0").loc["c2"]
    assert row["ci_high"] - row["ci_low"] > alone["ci_high"] - alone["ci_low"]


def test_best_reference_uses_all_pairs_and_marks_ties():
    st = study(seeds=(5, 5, 5, 5), shifts=(0.0, 0.0, 0.05, 1.5), seed=1)
    table = compare(st.scores)
    assert table.attrs["best"] == "c3" and table.loc["c3", "tied_with_best"]
    assert "all 6 pairwise" in table.attrs["correction"]
    assert not table.loc["c0":"c2", "tied_with_best"].any()  # 1.5 logit below: ~20 points
    np.testing.assert_array_equal(table["significant"], ~table["tied_with_best"])


def test_lower_is_better_picks_the_lowest_mean_and_orients_improvement():
    st = study(seeds=(4, 4), shifts=(0.0, 1.0), seed=3)
    table = compare(st.scores, higher_is_better=False)
    assert table.attrs["best"] == "c0"
    assert table.loc["c1", "p_improvement"] == 0.0  # every c1 seed has the higher error


def test_probability_of_improvement_and_seeds_needed_columns():
    st = study(seeds=(5, 5), shifts=(0.0, 0.3), seed=4)
    row = compare(st.scores, reference="c0").loc["c1"]
    assert 0 <= row["p_improvement_low"] <= row["p_improvement"] <= row["p_improvement_high"] <= 1
    needed = compare(st.scores, reference="c0", effect=0.01).loc["c1", "seeds_needed"]
    assert needed > compare(st.scores, reference="c0", effect=0.05).loc["c1", "seeds_needed"] >= 2


def test_zero_variance_configurations():
    scores = {"a": np.ones((2, 5)), "b": np.ones((2, 5))}
    table = compare(scores, reference="a")
    assert table.loc["b", "p_raw"] == 1.0 and not table.loc["b", "significant"]
    assert "zero variance" in table.loc["b", "note"]


def test_a_pooled_variance_shared_with_its_source_counts_once():
    """c1 borrows c0's seed variance: the difference's variance is s²_0 (1/2 + 1) with the
    d.o.f. of that one estimate (1), not of two independent ones."""
    a, b = np.array([0.60, 0.64]), np.array([0.50])
    scores = {"c0": np.repeat(a[:, None], 20, axis=1), "c1": np.repeat(b[:, None], 20, axis=1)}
    row = compare(scores, reference="c0", pool_seed_variance=True).loc["c1"]
    se = math.sqrt(np.var(a, ddof=1) * 1.5)
    assert row["delta_se"] == pytest.approx(se) and row["delta_df"] == pytest.approx(1.0)
    assert row["p_raw"] == pytest.approx(2 * sps.t.sf(abs(b[0] - a.mean()) / se, 1))


def test_differences_from_a_data_chosen_best_get_simultaneous_intervals():
    st = study(seeds=(3, 3, 3), seed=6)
    free = compare(st.scores)
    fixed = compare(st.scores, reference=free.attrs["best"])
    assert "simultaneous over the 3 tested pairs" in free.attrs["delta_interval"]
    assert fixed.attrs["delta_interval"] == "per comparison (uncorrected)"
    others = free.index[~free["is_reference"]]
    width = (free["delta_high"] - free["delta_low"])[others]
    assert (width > (fixed["delta_high"] - fixed["delta_low"])[others]).all()
    np.testing.assert_allclose(free.loc[others, "p_raw"], fixed.loc[others, "p_raw"])
