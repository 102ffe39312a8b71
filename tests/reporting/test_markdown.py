"""User text is data in every Markdown report; report folders stay under the output root."""

from __future__ import annotations

import pandas as pd
import pytest

from mmbench.errors import MmbenchError
from mmbench.reporting import build_report
from mmbench.reporting.breakdown import BreakdownRecord, breakdown_tables, write_breakdown
from mmbench.reporting.leaderboard import leaderboard, write_report
from mmbench.reporting.markdown import md_code, md_text

HOSTILE = "a|b\n# x <script>alert(1)</script>"


def test_md_text_keeps_one_inline_run():
    text = md_text(HOSTILE)
    assert "\n" not in text and "<" not in text and "|" not in text.replace("\\|", "")
    assert text == "a\\|b # x &lt;script&gt;alert(1)&lt;/script&gt;"
    assert md_text("# heading").startswith("\\#")
    assert md_code("a`b") == "``a`b``" and md_code("x\ny") == "`x y`"


def _runs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "run_name": [HOSTILE, "plain"],
            "tags.mmbench.group": ["g1", "g2"],
            "tags.mmbench.label": [HOSTILE, "plain"],
            "metrics.test/vqa_acc": [50.0, 40.0],
        }
    )


def test_markup_in_names_cannot_break_the_leaderboard(tmp_path):
    board = leaderboard(_runs())
    md = write_report(board, HOSTILE, tmp_path, "sqlite:///x`y.db")
    text = md.read_text()
    lines = text.splitlines()
    assert sum(line.startswith("# ") for line in lines) == 1  # no injected heading
    assert "<script>" not in text
    rows = [line for line in lines if line.startswith("| ")]
    assert len(rows) == 3  # header + 2 configurations, none split by '|' or a newline
    assert all(row.replace("\\|", "").count("|") == rows[0].count("|") for row in rows)
    assert "``sqlite:///x`y.db``" in text
    assert not list(tmp_path.glob(".*tmp-*"))  # atomic writes left no temporary file


def test_markup_in_breakdown_categories_is_escaped(tmp_path):
    records = [BreakdownRecord(HOSTILE, "g1", {"vqa_acc": {HOSTILE: {HOSTILE: 1.0}}})]
    path = write_breakdown(breakdown_tables(records), HOSTILE, tmp_path, "sqlite:///s.db")
    text = path.read_text()
    assert "<script>" not in text and "\n# x" not in text


@pytest.mark.parametrize("name", ["../../escaped", "/tmp/abs_escape", "a/../../b"])
def test_report_names_cannot_leave_the_reports_folder(tmp_path, mlflow_uri, name):
    with pytest.raises(MmbenchError, match="outside"):
        build_report(name, mlflow_uri, out_root=tmp_path / "reports")
    assert not (tmp_path / "escaped").exists() and not (tmp_path.parent / "escaped").exists()
