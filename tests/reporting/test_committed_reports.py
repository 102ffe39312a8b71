"""Every committed report folder with a bundle remakes its tables from the bundle alone, to the
byte: the numbers in `reports/` are the numbers its bundle gives (text files compared; the PNGs
depend on the matplotlib build)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmbench.reporting import build_report
from mmbench.reporting.summary import INPUTS, build_summary

REPORTS = Path(__file__).resolve().parents[2] / "reports"
BUNDLED = sorted(p.parent for p in REPORTS.glob("*/manifest.json"))
TEXT = (".md", ".csv", ".tex")


def test_the_committed_reports_have_bundles():
    assert len(BUNDLED) >= 5  # fails if the bundles stop being committed


@pytest.mark.parametrize("folder", BUNDLED, ids=[p.name for p in BUNDLED])
def test_a_committed_report_is_what_its_bundle_gives(folder, tmp_path):
    again = build_report(None, None, tmp_path, bundle=folder).path.parent
    made = sorted(p.name for p in again.iterdir() if p.suffix in TEXT)
    assert made, "the bundle made no report"
    for name in made:
        if name == "notes.md":
            continue
        committed = folder / name
        assert committed.is_file(), f"{name} is made from the bundle but not committed"
        assert (again / name).read_text(encoding="utf-8") == committed.read_text(
            encoding="utf-8"
        ), f"{folder.name}/{name} differs from what its bundle gives"


SUMMARIES = sorted(p.parent for p in REPORTS.glob(f"*/{INPUTS}"))


def test_a_committed_summary_is_what_its_bundles_give(tmp_path):
    assert SUMMARIES, "no committed cross-experiment summary"
    for folder in SUMMARIES:
        inputs = json.loads((folder / INPUTS).read_text(encoding="utf-8"))
        bundles = [(folder / rel).resolve() for rel in inputs["from"]]
        assert all(b.is_relative_to(REPORTS) for b in bundles), "a summary input outside reports/"
        md = build_summary(
            [], None, tmp_path, folder.name, inputs["split"], inputs["alpha"], bundles=bundles
        )
        committed = (folder / "summary.md").read_text(encoding="utf-8")
        assert md.read_text(encoding="utf-8") == committed, f"{folder.name}/summary.md differs"
