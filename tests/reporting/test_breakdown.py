"""Per-group breakdown tables on hand-made records (no MLflow), and reading the JSON artifacts."""

from __future__ import annotations

import json
import math
import statistics

import numpy as np
import pandas as pd
import pytest

from mmbench.reporting.breakdown import BreakdownRecord, breakdown_tables, write_breakdown
from mmbench.reporting.breakdown_artifacts import read_breakdown


def vqa(by_question: dict[str, float], by_answer: dict[str, float] | None = None) -> dict:
    out = {"question_type": by_question}
    if by_answer is not None:
        out["answer_type"] = by_answer
    return {"vqa_acc": out}


def records() -> list[BreakdownRecord]:
    return [
        BreakdownRecord("fusion=film", "a", vqa({"count": 40.0, "relation": 80.0}, {"yes/no": 70})),
        BreakdownRecord("fusion=film", "a", vqa({"count": 44.0, "relation": 90.0}, {"yes/no": 60})),
        BreakdownRecord("fusion=film", "a", vqa({"count": 45.5, "relation": 85.0}, {"yes/no": 65})),
        BreakdownRecord("fusion=concat", "b", vqa({"count": 50.0, "relation": 20.0})),
        BreakdownRecord("fusion=concat", "b", vqa({"count": 60.0})),  # no relation question here
        BreakdownRecord("fusion=concat", "b", None),  # e.g. an older run without the artifact
        BreakdownRecord("external", "eval-run", None),  # mmbench eval --log: never has one
        BreakdownRecord("fusion=gated", "c", {}),
    ]


def table(tables, metric, kind):
    (found,) = [t for t in tables if (t.metric, t.kind) == (metric, kind)]
    return found


def test_mean_and_sample_std_over_seeds_per_category():
    t = table(breakdown_tables(records()), "vqa_acc", "question_type")
    assert list(t.mean.columns) == ["count", "relation"]
    assert t.mean.at["fusion=film", "count"] == pytest.approx(statistics.mean([40, 44, 45.5]))
    assert t.std.at["fusion=film", "count"] == pytest.approx(statistics.stdev([40, 44, 45.5]))
    assert t.mean.at["fusion=film", "relation"] == pytest.approx(85.0)
    assert t.std.at["fusion=film", "relation"] == pytest.approx(5.0)
    assert t.mean.at["fusion=concat", "count"] == pytest.approx(55.0)
    assert t.std.at["fusion=concat", "count"] == pytest.approx(math.sqrt(50))
    assert t.n.to_dict() == {"fusion=film": 3, "fusion=concat": 2}  # the run without one skipped


def test_a_category_missing_in_some_runs_averages_the_others_and_is_blank_in_none():
    tables = breakdown_tables(records())
    t = table(tables, "vqa_acc", "question_type")
    # concat: only one of its two runs had a relation question → its value, no std
    assert t.mean.at["fusion=concat", "relation"] == pytest.approx(20.0)
    assert np.isnan(t.std.at["fusion=concat", "relation"])
    assert t.count.at["fusion=concat", "relation"] == 1
    assert "| fusion=concat | 2 | **55.00 ± 7.07** | 20.00 |" in t.to_markdown()
    # answer_type: only film logged it, so concat is no row there at all
    answers = table(tables, "vqa_acc", "answer_type")
    assert list(answers.mean.index) == ["fusion=film"]


def test_missing_category_for_a_whole_configuration_is_a_dash():
    recs = [
        BreakdownRecord("x", "gx", vqa({"count": 10.0, "exist": 30.0})),
        BreakdownRecord("y", "gy", vqa({"count": 20.0})),
    ]
    t = breakdown_tables(recs)[0]
    assert np.isnan(t.mean.at["y", "exist"])
    md = t.to_markdown()
    assert "| y | 1 | **20.00** | – |" in md
    assert "| x | 1 | 10.00 | **30.00** |" in md


def test_best_in_bold_per_column_respects_lower_is_better():
    recs = [
        BreakdownRecord("a", "ga", {"wer": {"speaker": {"s1": 10.0, "s2": 40.0}}}),
        BreakdownRecord("b", "gb", {"wer": {"speaker": {"s1": 20.0, "s2": 30.0}}}),
    ]
    md = breakdown_tables(recs)[0].to_markdown()
    assert "| a | 1 | **10.00** | 40.00 |" in md
    assert "| b | 1 | 20.00 | **30.00** |" in md
    recs = [BreakdownRecord(r.label, r.group, {"acc": r.breakdown["wer"]}) for r in recs]
    md = breakdown_tables(recs)[0].to_markdown()  # higher is better now
    assert "| a | 1 | 10.00 | **40.00** |" in md
    assert "| b | 1 | **20.00** | 30.00 |" in md


def test_rows_follow_the_leaderboard_order_then_unknown_labels_first_seen():
    tables = breakdown_tables(records(), order=["fusion=gated", "fusion=concat", "fusion=film"])
    assert list(table(tables, "vqa_acc", "question_type").mean.index) == [
        "fusion=concat",
        "fusion=film",
    ]
    recs = [BreakdownRecord(label, label, vqa({"count": 1.0})) for label in ["q", "p", "r", "s"]]
    assert list(breakdown_tables(recs, order=["r", "q"])[0].mean.index) == ["r", "q", "p", "s"]


def test_no_breakdown_anywhere_gives_no_tables_and_no_file(tmp_path):
    recs = [BreakdownRecord("a", "a", None), BreakdownRecord("b", "b", {})]
    assert breakdown_tables(recs) == []
    assert write_breakdown([], "exp", tmp_path / "out", "sqlite:///x.db") is None
    assert not (tmp_path / "out").exists()


def test_write_breakdown_markdown_and_tidy_csv(tmp_path):
    tables = breakdown_tables(records(), order=["fusion=film", "fusion=concat"])
    md = write_breakdown(tables, "exp", tmp_path, "sqlite:///x.db")
    text = md.read_text(encoding="utf-8")
    assert "## vqa_acc by question_type ↑" in text and "## vqa_acc by answer_type ↑" in text
    assert "| Configuration | seeds | count | relation |" in text
    assert "| Configuration | seeds | yes/no |" in text
    assert text.index("| fusion=film |") < text.index("| fusion=concat |")
    csv = pd.read_csv(tmp_path / "breakdown.csv")
    assert list(csv.columns) == ["metric", "kind", "label", "category", "n", "mean", "std"]
    row = csv[(csv.label == "fusion=film") & (csv.category == "count")].iloc[0]
    assert row["n"] == 3 and row["mean"] == pytest.approx(statistics.mean([40, 44, 45.5]))
    assert len(csv) == 2 * 2 + 1  # missing cells left out (concat has both question types)


def test_pipe_in_a_category_is_escaped_in_markdown():
    t = breakdown_tables([BreakdownRecord("a", "a", vqa({"x|y": 1.0}))])[0]
    assert "| Configuration | seeds | x\\|y |" in t.to_markdown()


@pytest.mark.parametrize(
    "content, ok",
    [
        (json.dumps(vqa({"count": 1.5})), True),
        ("{not json", False),
        (json.dumps({"vqa_acc": {"question_type": {"count": "high"}}}), False),
        (json.dumps([1, 2]), False),
        (None, False),  # no such artifact
    ],
)
def test_read_breakdown_from_an_artifact_folder(tmp_path, content, ok):
    run_dir = tmp_path / "artifacts"
    (run_dir / "scores").mkdir(parents=True)
    if content is not None:
        (run_dir / "scores" / "test_breakdown.json").write_text(content, encoding="utf-8")
    got = read_breakdown(run_dir.as_uri(), "sqlite:///unused.db", tmp_path / "dst")
    assert got == (json.loads(content) if ok else None)
