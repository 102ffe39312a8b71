"""Every committed report folder with a bundle remakes its tables from the bundle alone, to the
byte: the numbers in `reports/` are the numbers its bundle gives (text files compared; the PNGs
depend on the matplotlib build)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmbench.reporting import build_report

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
