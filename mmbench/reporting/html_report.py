"""``report.html``: the report as one self-contained page to open in a browser or send around.

Everything is inside the file: the figures as base64 PNG ``data:`` images, the style, and a
few lines of inline JavaScript that sort the leaderboard when a column header is clicked (or
at load by ``#sort=<column>`` / ``#sort=-<column>`` in the address). The page makes no network
request: it names no external URL, and its Content-Security-Policy allows only inline styles,
inline scripts and ``data:`` images. Every user string (experiment name, labels, notes) is
HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from mmbench.files import atomic_write_text
from mmbench.reporting.leaderboard import (
    COST_COLUMNS,
    Leaderboard,
    _fmt_cost,
    higher_is_better,
    shown_uri,
)
from mmbench.reporting.stats_text import headers, mark, stat_cells, stats_text

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; padding: 0 1em; max-width: 72em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { cursor: pointer; background: #f4f4f4; user-select: none; }
th.sorted-asc::after { content: " \\25B2"; } th.sorted-desc::after { content: " \\25BC"; }
img { max-width: 100%; } p.method { font-size: 0.85em; color: #444; }
"""

# Sorting: numbers by data-v (NaN last), text otherwise. Errors land in the page as a marker
# element, so a headless browser's DOM dump shows them.
SCRIPT = """
window.addEventListener("error", function (e) {
  var d = document.createElement("div"); d.id = "js-error"; d.textContent = String(e.message);
  document.body.appendChild(d);
});
(function () {
  var table = document.getElementById("leaderboard");
  var heads = table.tHead.rows[0].cells;
  function key(row, i) {
    var c = row.cells[i], v = c.getAttribute("data-v");
    if (v === null) { return c.textContent; }
    var x = parseFloat(v); return isNaN(x) ? null : x;
  }
  function sortBy(i, desc) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, i), y = key(b, i);
      if (x === null) { return y === null ? 0 : 1; } if (y === null) { return -1; }
      var r = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
      return desc ? -r : r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    for (var j = 0; j < heads.length; j++) { heads[j].className = ""; }
    heads[i].className = desc ? "sorted-desc" : "sorted-asc";
  }
  for (var i = 0; i < heads.length; i++) {
    heads[i].addEventListener("click", (function (i) { return function () {
      sortBy(i, heads[i].className === "sorted-asc");
    }; })(i));
  }
  var m = /sort=(-?)(\\d+)/.exec(window.location.hash);
  if (m && +m[2] < heads.length) { sortBy(+m[2], m[1] === "-"); }
  document.body.setAttribute("data-ready", "1");
})();
"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _inline(markdown: str) -> str:
    """A line of the report's own Markdown (bold, code spans) as escaped HTML."""
    text = esc(markdown)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(`+) ?(.+?) ?\1", r"<code>\2</code>", text)


def _td(text: str, value: float | None = None, bold: bool = False, suffix: str = "") -> str:
    """A cell; ``value``: its sort key (numeric columns), NaN sorts last."""
    body = (f"<strong>{esc(text)}</strong>" if bold else esc(text)) + esc(suffix)
    if value is None:
        return f"<td>{body}</td>"
    v = repr(float(value)) if math.isfinite(value) else "nan"
    return f'<td data-v="{v}">{body}</td>'


def table_html(board: Leaderboard, digits: int = 2) -> str:
    """The leaderboard as a sortable ``<table id="leaderboard">``."""
    compared = board._compared()
    head = ["Configuration", "seeds"]
    for i, m in enumerate(board.metrics):
        head.append(f"{m} {'↑' if higher_is_better(m) else '↓'}")
        if i == 0 and compared:
            head += headers(board.stats)
    costs = [c for c in COST_COLUMNS.values() if f"{c}_mean" in board.table]
    head += costs
    rows = []
    for _, row in board.table.iterrows():
        label = str(row["label"])
        cells = [_td(label), _td(str(int(row["n"])), float(row["n"]))]
        for i, m in enumerate(board.metrics):
            mean, std = row[f"{m}_mean"], row[f"{m}_std"]
            stat = board.stats.row(label) if i == 0 and compared else None
            col = board.table[f"{m}_mean"]
            best = col.max() if higher_is_better(m) else col.min()
            if pd.isna(mean):
                cells.append(_td("–", math.nan))
            else:
                text = f"{mean:.{digits}f}" + (f" ± {std:.{digits}f}" if not pd.isna(std) else "")
                tail = mark(stat, board.stats, higher_is_better(m)) if stat else ""
                cells.append(_td(text, float(mean), bool(np.isclose(mean, best)), tail))
            if i == 0 and compared:
                keys = [None, None, None, None]
                if stat is not None:
                    keys = [stat["ci_low"], stat["p"], stat["p_improvement"], stat["seeds_needed"]]
                for text, k in zip(stat_cells(stat, board.stats, digits), keys):
                    cells.append(_td(text, math.nan if k is None else k))
        for c in costs:
            value = row[f"{c}_mean"]
            cells.append(_td(_fmt_cost(c, value), float(value)))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    thead = "<tr>" + "".join(f'<th title="sort">{esc(h)}</th>' for h in head) + "</tr>"
    return (
        f'<table id="leaderboard"><thead>{thead}</thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def _figure(path: Path, caption: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{esc(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def to_html(
    board: Leaderboard,
    experiment: str,
    uri: str,
    task: str | None = None,
    figures: list[tuple[Path, str]] = (),
    tuning_figure: Path | None = None,
) -> str:
    """The whole page. ``figures``: (PNG file, caption) pairs, embedded in order; then, for a
    tuned experiment, its Tuning section with ``tuning_figure``."""
    method = [line for line in stats_text(board.stats, task) if line]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>Report: {esc(experiment)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Report: {esc(experiment)}</h1>",
        "<p>Mean ± sample std over seeds (n per row). ↑ higher is better, ↓ lower is better; "
        f"best mean in bold. Click a column header to sort. Source: MLflow store "
        f"<code>{esc(shown_uri(uri))}</code>.</p>",
        *(f'<p class="method">{_inline(line)}</p>' for line in method),
        *(f"<p>{_inline(line)}</p>" for line in board.convergence.lines(name=str) if line),
        table_html(board),
        *(_figure(p, caption) for p, caption in figures if p is not None and p.exists()),
        *_tuning(board, tuning_figure),
        f"<script>{SCRIPT}</script>",
        "</body></html>",
        "",
    ]
    return "\n".join(parts)


def _tuning(board: Leaderboard, figure: Path | None) -> list[str]:
    """The search and chosen values of a tuned experiment (``reporting.tuning``); none if
    untuned."""
    view = board.tuning
    if view is None:
        return []
    head = "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in view.header()) + "</tr>"
    rows = ["<tr>" + "".join(_td(c) for c in row) + "</tr>" for row in view.rows()]
    parts = ["<h2>Tuning</h2>", *(f"<p>{_inline(line)}</p>" for line in view.intro() if line)]
    parts.append(f'<table id="tuning"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>')
    if figure is not None and figure.exists():
        parts.append(_figure(figure, f"{view.objective} against each tuned value (trials)"))
    return parts


def write_html(
    board: Leaderboard,
    experiment: str,
    out_dir: Path,
    uri: str,
    task: str | None = None,
    figures: list[tuple[Path | None, str]] = (),
    tuning_figure: Path | None = None,
) -> Path:
    """Write ``out_dir/report.html``; return its path."""
    path = Path(out_dir) / "report.html"
    atomic_write_text(path, to_html(board, experiment, uri, task, figures, tuning_figure))
    return path
