"""report.html: one file, escaped user strings, no external URL; rendered in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pandas as pd
import pytest

from mmbench.reporting import build_report
from mmbench.reporting.html_report import to_html
from mmbench.reporting.leaderboard import leaderboard
from tests.reporting.views_store import CONFIGS, views_store

HOSTILE = "a|b <script>alert(1)</script> & co"
# what would make a browser fetch something: an address, or a resource attribute or CSS rule
URL = re.compile(
    r'https?://|\b(src|href|action|srcset|poster)\s*=\s*"(?!data:)|url\(|@import', re.I
)


class Cells(HTMLParser):
    """Text of every ``<td>`` of the first column of ``#leaderboard``, and script count."""

    def __init__(self):
        super().__init__()
        self.labels, self.scripts, self._col, self._in, self._row = [], 0, -1, False, False

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        if tag == "tr":
            self._col = -1
        if tag == "td":
            self._col += 1
            self._in = self._col == 0
            if self._in:
                self.labels.append("")

    def handle_endtag(self, tag):
        if tag == "td":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.labels[-1] += data


def test_user_strings_are_escaped_and_nothing_is_fetched():
    frame = pd.DataFrame(
        {
            "run_name": [HOSTILE, "plain"],
            "tags.mmbench.group": ["g1", "g2"],
            "tags.mmbench.label": [HOSTILE, "plain"],
            "metrics.test/vqa_acc": [50.0, 40.0],
        }
    )
    page = to_html(leaderboard(frame), f"exp {HOSTILE}", "sqlite:///x<y>.db")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "sqlite:///x&lt;y&gt;.db" in page
    parser = Cells()
    parser.feed(page)
    assert parser.labels == [HOSTILE, "plain"]  # one cell each, read back verbatim
    assert parser.scripts == 1  # only the page's own sorting script
    assert not URL.search(page), URL.search(page)


def test_report_html_embeds_its_figures(views_report):
    page = views_report.views["html"].read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 3  # leaderboard, curves, pareto
    assert not URL.search(page)
    parser = Cells()
    parser.feed(page)
    assert sorted(parser.labels) == sorted(CONFIGS)


def _chromium() -> str | None:
    return next((p for n in ("chromium", "chromium-browser") if (p := shutil.which(n))), None)


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None, reason="needs chromium (apt-get install chromium)")
def test_report_renders_in_headless_chromium_without_errors(mlflow_uri, tmp_path):
    configs = {
        HOSTILE: CONFIGS["fusion=concat, image=cnn"],
        "fusion=film": CONFIGS["fusion=film, image=cnn"],
    }
    name = "views <script>|x"
    views_store(mlflow_uri, tmp_path, name, baseline=None, configs=configs, seeds=(0, 1))
    page = build_report(name, mlflow_uri, tmp_path / "reports").views["html"]
    base = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    base += ["--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}"]
    url = page.resolve().as_uri() + "#sort=0"  # sort by label at load: the script must run
    out = subprocess.run(
        [*base, "--enable-logging=stderr", "--v=0", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    dom = out.stdout
    assert 'data-ready="1"' in dom, out.stderr[-2000:]
    assert 'id="js-error"' not in dom
    console = [line for line in out.stderr.splitlines() if "CONSOLE" in line]
    assert not console, console  # no script error, no blocked request
    parser = Cells()
    parser.feed(dom)
    assert parser.labels == sorted([HOSTILE, "fusion=film"], key=str.lower)  # sorted by JS
    shot = tmp_path / "shot.png"
    subprocess.run([*base, f"--screenshot={shot}", "--window-size=1200,1600", url],
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    assert shot.read_bytes()[:4] == b"\x89PNG" and shot.stat().st_size > 10_000
