"""How the leaderboard writes its statistics: the cells, the marks and the method paragraph.

Against the best configuration (the default), every pair is tested and ``†`` marks
configurations *tied with the best* (their pair with it not rejected). Against a named
reference (``report.baseline`` in the spec, or ``mmbench report --against LABEL``), ``▲`` / ``▼``
mark configurations significantly better / worse than it. Where a test needs a second seed,
there is no mark and the p cell is a dash.
"""

from __future__ import annotations

import math

from mmbench.reporting.markdown import md_code
from mmbench.reporting.seed_stats import SeedStats, fmt_p

ALPHA_TEXT = "α = 0.05"
CLUSTERS = {
    "vqa": "images",
    "captioning": "images",
    "asr": "speakers",
    "summarization": "documents",
}


def mark(stat: dict | None, stats: SeedStats, higher_is_better: bool) -> str:
    """The mark after a configuration's headline score ("" for none)."""
    if stat is None or math.isnan(stat["p"]):
        return ""
    if stats.against is None:
        return " †" if stat["tied"] else ""
    if not stat["different"]:
        return ""
    return " ▲" if stat["above"] == higher_is_better else " ▼"


def headers(stats: SeedStats) -> list[str]:
    ref = stats.reference_word
    return ["95% CI", f"p vs {ref}", f"P(better than {ref})", "seeds for Δ"]


def stat_cells(stat: dict | None, stats: SeedStats, digits: int) -> list[str]:
    """``[interval, p, P(improvement), seeds needed]`` cells (dashes where not compared)."""
    if stat is None:
        return ["–"] * 4
    interval = f"[{stat['ci_low']:.{digits}f}, {stat['ci_high']:.{digits}f}]"
    if stat["covers"] != "seeds and examples":
        interval += " ¹"
    if stat["is_reference"]:
        return [interval, "best" if stats.against is None else "reference", "–", "–"]
    imp = stat["p_improvement"]
    if math.isnan(imp):
        imp_text = "–"
    elif math.isnan(stat["p_improvement_low"]):  # one seed on a side: a single comparison
        imp_text = f"{imp:.2f} (1 seed: no interval)"
    else:
        imp_text = f"{imp:.2f} [{stat['p_improvement_low']:.2f}, {stat['p_improvement_high']:.2f}]"
    need = stat["seeds_needed"]
    need_text = "–" if math.isnan(need) else ("> 1000" if math.isinf(need) else f"{need:.0f}")
    return [interval, fmt_p(stat["p"]), imp_text, need_text]


def _units(stats: SeedStats, task: str | None) -> str:
    attrs = stats.table.attrs
    n_ex = f"{attrs['n_examples']:,} shared test examples"
    if not attrs.get("clustered"):
        return f"{n_ex}, each its own unit"
    word = CLUSTERS.get(task or "", "clusters")
    return (
        f"{n_ex} in {attrs['n_clusters']:,} {word} (the logged cluster ids): the {word}, not the "
        "examples, are the independent units of the test population"
    )


def stats_text(stats: SeedStats | None, task: str | None = None) -> list[str]:
    """The paragraphs that say how the intervals and tests were made (Markdown lines)."""
    if stats is None:
        return []
    if stats.table is None:
        return [f"No intervals or tests for {stats.metric}: {stats.note}.", ""]
    table = stats.table
    ref = stats.reference_word
    ref_name = "the best" if stats.against is None else md_code(stats.against)
    if stats.against is None:
        family = (
            f"Holm over all {_pairs(len(table))} pairwise comparisons, because the best is chosen "
            f"from the data; † tied with the best (its pair with the best not rejected at "
            f"{ALPHA_TEXT})"
        )
    else:
        where = "the spec's `report.baseline`" if "report.baseline" in stats.source else "--against"
        reference = md_code(stats.against)
        family = (
            f"Holm over the {len(table) - 1} comparisons with the reference {reference} "
            f"(named by {where}); ▲ / ▼ significantly better / worse than it at {ALPHA_TEXT}"
        )
    n_tested = int(table["p"].notna().sum())
    lines = [
        f"Statistics of {stats.metric} (`mmbench.stats.compare`; {_units(stats, task)}). "
        f"**95% CI**: t interval of the configuration's expected score over training seeds and "
        "the test population — the variance of its seeds' corpus scores divided by the number of "
        "seeds plus the test-population part, Welch–Satterthwaite degrees of freedom. "
        f"**p vs {ref}**: two-sided test of the difference, examples paired, seeds independent; "
        f"{family}; {n_tested} of the comparisons could be tested. Analytic tests: no resampling "
        f"floor on p. **P(better than {ref})**: the probability that a seed of the configuration "
        f"beats a seed of {ref_name} on this test set (Agarwal et al. 2021), with a stratified "
        "bootstrap 95% interval when both have ≥ 2 seeds. **Seeds for Δ**: seeds per "
        f"configuration that would detect the observed difference from {ref_name} with 80% "
        f"power at {ALPHA_TEXT} (uncorrected), from the observed seed variances; > 1000: more "
        "seeds would not do it, the test set limits.",
        "",
    ]
    single = [str(c) for c, n in zip(table.index, table["n_seeds"]) if n < 2]
    if single and len(single) == len(table):
        lines += [
            "**Every configuration has a single seed: this report cannot rank them by seed** (a "
            "test needs ≥ 2 seeds per side, so none is made). ¹ The intervals cover the test "
            "examples only, not the randomness of training.",
            "",
        ]
    elif single:
        lines += [
            f"Configurations with a single seed ({len(single)} of {len(table)}) cannot be ranked "
            "by seed: their comparisons need ≥ 2 seeds and are not made. ¹ Their intervals cover "
            "the test examples only, not the randomness of training.",
            "",
        ]
    if stats.note:
        lines += [f"Note: {stats.note}.", ""]
    return lines


def _pairs(k: int) -> int:
    return k * (k - 1) // 2
